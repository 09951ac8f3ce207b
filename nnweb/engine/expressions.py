"""Safe expressions of the inputs, such as ``sin(3*x1)*x2``, for custom features and datasets.

A shared link carries these strings, so they must never run code in a visitor's browser:
no ``eval``, no Python ``ast``. A tokenizer and a recursive-descent parser accept numbers,
the named variables, + - * / ^ (or **), parentheses and a whitelist of functions, and build
a tree of NumPy calls. Anything else is refused with the position where it went wrong.

    expression := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := ("-" | "+") unary | power
    power      := atom (("^" | "**") unary)?          (right-associative: 2^3^2 = 2^9)
    atom       := number | constant | variable | function "(" expression ")" | "(" expression ")"
"""
from __future__ import annotations

import re
from typing import Callable

import numpy as np

FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "tanh": np.tanh, "exp": np.exp,
    "log": np.log, "sqrt": np.sqrt, "abs": np.abs, "sign": np.sign,
    "step": lambda x: (x > 0).astype(float),
}
CONSTANTS = {"pi": np.float64(np.pi), "e": np.float64(np.e)}
MAX_LENGTH = 200     # characters: a feature is a formula, not a program
MAX_DEPTH = 30       # nesting of parentheses and operators

_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z_0-9]*)|(\*\*|[-+*/^()]))")

Node = Callable[[dict], np.ndarray]
_OPERATORS = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}


def _binary(operator, left: Node, right: Node) -> Node:
    return lambda env: operator(left(env), right(env))


class Expression:
    """A parsed expression; ``evaluate(x1=..., x2=...)`` returns an array like its inputs."""

    def __init__(self, text: str, variables: tuple[str, ...] = ("x1", "x2")):
        if not isinstance(text, str):
            raise ValueError("expression: expected text")
        if len(text) > MAX_LENGTH:
            raise ValueError(f"expression: {len(text)} characters, at most {MAX_LENGTH}")
        self.text, self.variables = text, variables
        self._bad = None
        self._tokens = self._tokenize(text)
        self._i = 0
        self._depth = 0
        if not self._tokens and self._bad is None:
            raise ValueError("expression: empty")
        self._node = self._expression()
        if self._i < len(self._tokens):
            self._fail("unexpected", self._tokens[self._i])
        if self._bad:
            raise ValueError(self._bad)

    @property
    def numpy_code(self) -> str:
        """The same expression as NumPy code (for exported scripts). The grammar is Python's
        own precedence with ^ for **, so a token-by-token translation keeps the meaning;
        every token was checked by the parser, so the code holds nothing else."""
        names = {**{f: f"np.{f}" for f in FUNCTIONS}, "step": "np.heaviside", "pi": "np.pi", "e": "np.e"}
        out, parens, previous = [], [], ""
        for kind, text, _ in self._tokens:
            if kind == "name":
                out.append(text if text in self.variables else names[text])
            elif text == "(":
                if previous in FUNCTIONS:
                    out[-1] += "("  # a call: np.sin(
                else:
                    out.append("(")
                parens.append(previous == "step")
            elif text == ")":
                out.append(", 0.0)" if parens.pop() else ")")  # step(x) = heaviside(x, 0): 0 up to 0, 1 above
            elif text == "^":
                out.append("**")
            elif kind == "number" and "." not in text and "e" not in text.lower():
                out.append(text + ".0")  # float arithmetic, as evaluate() does
            else:
                out.append(text)
            previous = text
        return " ".join(out).replace("( ", "(").replace(" )", ")").replace(" , 0.0)", ", 0.0)")

    def evaluate(self, **values: np.ndarray) -> np.ndarray:
        missing = [v for v in self.variables if v not in values]
        if missing:
            raise ValueError(f"expression: no value for {missing[0]}")
        shape = np.shape(next(iter(values.values()))) if values else ()
        with np.errstate(all="ignore"):
            return np.broadcast_to(np.asarray(self._node(values), dtype=float), shape).copy()

    # --- tokens ---------------------------------------------------------------------------
    def _tokenize(self, text: str) -> list[tuple[str, str, int]]:
        """(kind, text, position) with kind number / name / op."""
        tokens, pos = [], 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN.match(text, pos)
            if not m:  # reported when the parser gets here, so earlier mistakes come first
                start = len(text) - len(text[pos:].lstrip())
                self._bad = f"expression: {text[start]!r} is not allowed at position {start + 1}"
                break
            kind = "number" if m.group(1) else "name" if m.group(2) else "op"
            value = m.group(1) or m.group(2) or m.group(3)
            tokens.append((kind, value, m.start(m.lastindex) + 1))
            pos = m.end()
        return tokens

    def _fail(self, what: str, token=None):
        if token is None:
            raise ValueError(self._bad or f"expression: {what} at the end")
        raise ValueError(f"expression: {what} {token[1]!r} at position {token[2]}")

    def _peek(self):
        return self._tokens[self._i] if self._i < len(self._tokens) else None

    def _take(self, *ops: str):
        token = self._peek()
        if token is not None and token[0] == "op" and token[1] in ops:
            self._i += 1
            return token
        return None

    def _expect(self, op: str, what: str) -> None:
        if self._take(op) is None:
            token = self._peek()
            if token is None:
                self._fail(what)
            self._fail(f"{what}, found", token)

    # --- grammar ----------------------------------------------------------------------------
    def _nested(self, parse):
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise ValueError(f"expression: nested more than {MAX_DEPTH} deep")
        try:
            return parse()
        finally:
            self._depth -= 1

    def _left_to_right(self, operand, ops: tuple[str, str]) -> Node:
        """operand (op operand)*, grouped from the left: a - b - c = (a - b) - c."""
        node = self._nested(operand)
        while (op := self._take(*ops)) is not None:
            node = _binary(_OPERATORS[op[1]], node, self._nested(operand))
        return node

    def _expression(self) -> Node:
        return self._left_to_right(self._term, ("+", "-"))

    def _term(self) -> Node:
        return self._left_to_right(self._unary, ("*", "/"))

    def _unary(self) -> Node:
        if (op := self._take("-", "+")) is not None:
            inner = self._nested(self._unary)
            return (lambda a: lambda env: -a(env))(inner) if op[1] == "-" else inner
        return self._nested(self._power)

    def _power(self) -> Node:
        base = self._atom()
        if self._take("^", "**") is not None:
            exponent = self._nested(self._unary)
            return lambda env: np.power(np.asarray(base(env), dtype=float), exponent(env))
        return base

    def _atom(self) -> Node:
        token = self._peek()
        if token is None:
            self._fail("a number, variable or '(' is missing")
        kind, text, _ = token
        self._i += 1
        if kind == "number":
            value = np.float64(text)  # NumPy scalars: 0/0 is nan, not a ZeroDivisionError
            return lambda env: value
        if kind == "op" and text == "(":
            inner = self._nested(self._expression)
            self._expect(")", "')' is missing")
            return inner
        if kind == "name":
            if text in self.variables:
                return lambda env: np.asarray(env[text], dtype=float)
            if text in CONSTANTS:
                value = CONSTANTS[text]
                return lambda env: value
            if text in FUNCTIONS:
                self._expect("(", f"{text} needs '(' after it")
                inner = self._nested(self._expression)
                self._expect(")", "')' is missing")
                func = FUNCTIONS[text]
                return lambda env: func(np.asarray(inner(env), dtype=float))
            allowed = ", ".join(list(self.variables) + list(CONSTANTS) + sorted(FUNCTIONS))
            self._fail(f"unknown name (allowed: {allowed}):", token)
        self._fail("unexpected", token)
