"""Validation rules of the indicator catalogue, as DHIS2 has them: a left side, an
operator and a right side, each side an expression over indicator codes.

The rules are data (``ValidationRule``, edited in the admin); this module holds their
grammar and how they are checked. An expression is read by a small recursive-descent
parser, never by ``eval``: only indicator codes, whole numbers, ``+``, ``-`` (or the
minus sign U+2212) and parentheses, so a rule can compute nothing but a sum of figures.

    expression := term (("+" | "-") term)*
    term       := ("+" | "-") term | primary
    primary    := NUMBER | CODE | "(" expression ")"

A rule whose figures are all missing is skipped (DHIS2's "skip if all values are
missing"); otherwise a missing figure counts as 0.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .models import ValidationRule

# Long enough for any real rule; an expression past it is refused before it is read.
MAX_LENGTH = 500
MAX_DEPTH = 20  # parentheses and signs nested deeper than this are refused

# The operators a rule may use: stored value → (shown as, comparison).
OPERATORS: dict[str, tuple[str, Callable[[Decimal, Decimal], bool]]] = {
    "==": ("=", operator.eq),
    "<=": ("≤", operator.le),
    ">=": ("≥", operator.ge),
    "<": ("<", operator.lt),
    ">": (">", operator.gt),
}

MINUS_SIGN = "\u2212"  # the minus sign of a rule copied from a document
_TOKEN = re.compile(r"\s*(?:(?P<number>\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[-+()\u2212]))")


class ExpressionError(ValueError):
    """An expression that is not one of the grammar's, with a message for its author."""


@dataclass(frozen=True)
class Expression:
    """A parsed side of a rule: its text, its tree and the indicator codes it names."""

    text: str
    tree: tuple
    codes: frozenset[str]

    def evaluate(self, values: Mapping[str, Decimal | None]) -> Decimal:
        """The expression over ``values`` (code → figure); a missing figure counts as 0."""
        return _evaluate(self.tree, values)


def _tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, position) of each token; anything else is refused where it stands."""
    tokens = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            position += len(text[position:]) - len(text[position:].lstrip())
            raise ExpressionError(
                _("Ký tự không được phép “%(char)s” ở vị trí %(position)s.")
                % {"char": text[position], "position": position + 1}
            )
        kind = match.lastgroup or "op"
        value = match.group(kind)
        tokens.append((kind, "-" if value == MINUS_SIGN else value, match.start(kind) + 1))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent over the tokens; every node is a plain tuple."""

    def __init__(self, text: str, known: Collection[str] | None) -> None:
        self.tokens = _tokens(text)
        self.index = 0
        self.known = known
        self.codes: set[str] = set()

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expression(self, depth: int) -> tuple:
        node = self.term(depth)
        while (token := self.peek()) is not None and token[1] in "+-":
            self.take()
            node = ("add" if token[1] == "+" else "sub", node, self.term(depth))
        return node

    def term(self, depth: int) -> tuple:
        if depth > MAX_DEPTH:
            raise ExpressionError(_("Biểu thức lồng nhau quá sâu."))
        token = self.peek()
        if token is not None and token[1] in "+-":
            self.take()
            inner = self.term(depth + 1)
            return ("neg", inner) if token[1] == "-" else inner
        return self.primary(depth)

    def primary(self, depth: int) -> tuple:
        token = self.peek()
        if token is None:
            raise ExpressionError(_("Biểu thức chưa hết: thiếu một mã chỉ tiêu hoặc một số."))
        kind, value, position = self.take()
        if kind == "number":
            return ("number", Decimal(value))
        if kind == "name":
            if self.known is not None and value not in self.known:
                raise ExpressionError(
                    _("“%(name)s” (vị trí %(position)s) không phải mã chỉ tiêu dạng số.")
                    % {"name": value, "position": position}
                )
            self.codes.add(value)
            return ("code", value)
        if value == "(":
            node = self.expression(depth + 1)
            closing = self.peek()
            if closing is None or closing[1] != ")":
                raise ExpressionError(
                    _("Thiếu dấu “)” đóng ngoặc mở ở vị trí %(position)s.") % {"position": position}
                )
            self.take()
            return node
        raise ExpressionError(
            _("Không chờ “%(token)s” ở vị trí %(position)s.")
            % {"token": value, "position": position}
        )


def parse(text: str, known: Collection[str] | None = None) -> Expression:
    """Read one side of a rule. ``known``: the codes a name may be (None: any name, for
    rules already checked when they were saved). Raises ``ExpressionError``."""
    text = (text or "").strip()
    if not text:
        raise ExpressionError(_("Biểu thức trống."))
    if len(text) > MAX_LENGTH:
        raise ExpressionError(_("Biểu thức dài quá %(n)s ký tự.") % {"n": MAX_LENGTH})
    parser = _Parser(text, known)
    tree = parser.expression(0)
    extra = parser.peek()
    if extra is not None:
        raise ExpressionError(
            _("Không chờ “%(token)s” ở vị trí %(position)s.")
            % {"token": extra[1], "position": extra[2]}
        )
    return Expression(text, tree, frozenset(parser.codes))


def _evaluate(node: tuple, values: Mapping[str, Decimal | None]) -> Decimal:
    kind = node[0]
    if kind == "number":
        return node[1]
    if kind == "code":
        return values.get(node[1]) or Decimal(0)
    if kind == "neg":
        return -_evaluate(node[1], values)
    left, right = _evaluate(node[1], values), _evaluate(node[2], values)
    return left + right if kind == "add" else left - right


@dataclass(frozen=True)
class Violation:
    """A rule a report's figures break: both sides as they came out."""

    rule: ValidationRule
    left: Decimal
    right: Decimal

    @property
    def is_error(self) -> bool:
        return self.rule.is_error


def violations(
    rules: Iterable[ValidationRule], values: Mapping[str, Decimal | None]
) -> list[Violation]:
    """The rules ``values`` (code → figure) break, errors first. A rule whose figures
    are all missing is skipped."""
    found = []
    for rule in rules:
        left, right = rule.sides()
        if all(values.get(code) is None for code in left.codes | right.codes):
            continue
        a, b = left.evaluate(values), right.evaluate(values)
        if not OPERATORS[rule.operator][1](a, b):
            found.append(Violation(rule, a, b))
    return sorted(found, key=lambda v: (not v.is_error, v.rule.pk or 0))


# The default rules, installed with the catalogue (a data migration): (left, operator,
# right, importance, message, English message). A rule over a code the catalogue does not
# have yet is left out, and installed by the migration that brings the code.
DEFAULT_RULES: list[tuple[str, str, str, str, str, str]] = [
    (
        "complaints_received + denunciations_received + reflections_received",
        "==",
        "petitions_received",
        "error",
        "Số đơn khiếu nại, tố cáo, kiến nghị phản ánh cộng lại phải bằng tổng số đơn thư "
        "tiếp nhận.",
        "Complaints, denunciations and petitions/reflections must add up to the petitions "
        "received.",
    ),
    (
        "units_regulation",
        "<=",
        "units",
        "error",
        "Số đơn vị đã ban hành quy chế dân chủ không thể nhiều hơn số đơn vị thực hiện.",
        "Units with a regulation cannot outnumber the units applying the rules.",
    ),
    (
        "training_attendances",
        ">=",
        "training_classes",
        "warning",
        "Số lượt người tham dự tập huấn ít hơn số lớp tập huấn: kiểm tra lại số người dự "
        "của từng lớp.",
        "Fewer attendances than training classes: check each class's attendance.",
    ),
    (
        "petitions_resolved",
        "<=",
        "petitions_carried_over + petitions_accepted",
        "error",
        "Số đơn thư đã giải quyết không thể nhiều hơn số đơn kỳ trước chuyển sang cộng số "
        "đơn thụ lý trong kỳ.",
        "Petitions resolved cannot outnumber those carried over plus those accepted.",
    ),
    (
        "complaints_first_round_received + complaints_second_round_received",
        "==",
        "complaints_received",
        "error",
        "Số đơn khiếu nại lần đầu và lần hai cộng lại phải bằng số đơn khiếu nại tiếp nhận.",
        "First and second-round complaints must add up to the complaints received.",
    ),
    (
        "petitions_resolved_on_time",
        "<=",
        "petitions_resolved",
        "error",
        "Số đơn giải quyết đúng hạn không thể nhiều hơn số đơn đã giải quyết.",
        "Petitions resolved on time cannot outnumber those resolved.",
    ),
    (
        "petitions_overdue",
        "<=",
        "petitions_outstanding",
        "error",
        "Số đơn quá hạn không thể nhiều hơn số đơn chuyển kỳ sau.",
        "Overdue petitions cannot outnumber those carried into the next period.",
    ),
]


def install_default_rules(rule_model, indicator_model) -> list[str]:
    """Create the default rules whose codes the catalogue has (used by data
    migrations; running it again changes nothing). Returns the formulas left out."""
    known = set(indicator_model.objects.values_list("code", flat=True))
    left_out = []
    for left, op, right, importance, message, message_en in DEFAULT_RULES:
        codes = parse(left).codes | parse(right).codes
        if not codes <= known:
            left_out.append(f"{left} {op} {right}")
            continue
        rule_model.objects.update_or_create(
            left=left,
            operator=op,
            right=right,
            defaults={"importance": importance, "message": message, "message_en": message_en},
        )
    return left_out
