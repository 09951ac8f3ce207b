"""The safe expression parser: the whitelist works like NumPy, everything else is refused
with a position, and no input makes it raise anything but ValueError (or run code)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnweb.engine.expressions import FUNCTIONS, MAX_DEPTH, MAX_LENGTH, Expression

X1 = np.linspace(-2.0, 2.0, 9)
X2 = np.linspace(0.5, 3.0, 9)


@pytest.mark.parametrize("text, expected", [
    ("sin(3*x1)*x2", np.sin(3 * X1) * X2),
    ("x1^2 + x2**2", X1 ** 2 + X2 ** 2),
    ("-x1^2", -(X1 ** 2)),                      # power binds tighter than the sign
    ("2^3^2", np.full(9, 2.0 ** 9)),            # and to the right
    ("x1 - x2 - 1", X1 - X2 - 1),               # minus to the left
    ("abs(x1) / (1 + exp(-x2))", np.abs(X1) / (1 + np.exp(-X2))),
    ("step(x1) * pi + e", (X1 > 0) * np.pi + np.e),
    ("1.5e-1 * .5 * tanh(x1)", 0.15 * 0.5 * np.tanh(X1)),
])
def test_the_whitelist_computes_like_numpy(text, expected):
    np.testing.assert_allclose(Expression(text).evaluate(x1=X1, x2=X2), expected, rtol=1e-12)


@pytest.mark.parametrize("text, message", [
    ("x1.__class__", "'.' is not allowed at position 3"),
    ("__import__('os').system('x')", "unknown name"),
    ("lambda: x1", "unknown name (allowed: x1, x2, pi, e, abs, cos, exp, log, sign, sin, sqrt, step, tan, "
                   "tanh): 'lambda' at position 1"),
    ("x1 + 'a'", "\"'\" is not allowed at position 6"),
    ("import os", "unknown name"),
    ("open('f')", "unknown name"),
    ("x1[0]", "'[' is not allowed at position 3"),
    ("x1 +", "missing at the end"),
    ("sin x1", "sin needs '(' after it, found 'x1' at position 5"),
    ("(x1 + x2", "')' is missing at the end"),
    ("x1 x2", "unexpected 'x2' at position 4"),
    ("", "empty"),
    ("x1 if x2 else 0", "unexpected 'if' at position 4"),
])
def test_everything_else_is_refused_with_a_position(text, message):
    with pytest.raises(ValueError, match="expression: ") as err:
        Expression(text)
    assert message in str(err.value)


def test_limits_on_length_and_nesting_are_stated():
    with pytest.raises(ValueError, match=f"at most {MAX_LENGTH}"):
        Expression("x1+" * 100 + "x1")
    with pytest.raises(ValueError, match=f"nested more than {MAX_DEPTH} deep"):
        Expression("(" * 40 + "x1" + ")" * 40)


def test_a_one_input_expression_has_only_x():
    f = Expression("x^3 - x", variables=("x",))
    np.testing.assert_allclose(f.evaluate(x=X1), X1 ** 3 - X1)
    with pytest.raises(ValueError, match="unknown name"):
        Expression("x1", variables=("x",))


@st.composite
def formulas(draw, depth=0):
    """(text, reference function) pairs built from the grammar, so results can be compared."""
    if depth >= 3 or draw(st.booleans()):
        leaf = draw(st.sampled_from(["x1", "x2", "num"]))
        if leaf == "num":
            v = draw(st.floats(0.1, 5.0).map(lambda f: round(f, 3)))
            return repr(v), (lambda a, b, v=v: np.full_like(a, v))
        return leaf, (lambda a, b: a) if leaf == "x1" else (lambda a, b: b)
    kind = draw(st.sampled_from(["+", "-", "*", "func", "neg"]))
    if kind == "func":
        name = draw(st.sampled_from(["sin", "cos", "tanh", "abs"]))
        text, f = draw(formulas(depth + 1))
        return f"{name}({text})", (lambda a, b: FUNCTIONS[name](f(a, b)))
    if kind == "neg":
        text, f = draw(formulas(depth + 1))
        return f"-({text})", (lambda a, b: -f(a, b))
    (lt, lf), (rt, rf) = draw(formulas(depth + 1)), draw(formulas(depth + 1))
    ops = {"+": np.add, "-": np.subtract, "*": np.multiply}
    return f"({lt}) {kind} ({rt})", (lambda a, b: ops[kind](lf(a, b), rf(a, b)))


@settings(max_examples=300)
@given(formulas())
def test_generated_formulas_match_their_reference(pair):
    text, reference = pair
    expression = Expression(text)
    np.testing.assert_allclose(expression.evaluate(x1=X1, x2=X2), reference(X1, X2), rtol=1e-10, atol=1e-12)
    # the NumPy code exported scripts carry means the same (tests may run code; the app never does)
    exported = eval(expression.numpy_code, {"np": np, "x1": X1, "x2": X2})  # noqa: S307
    np.testing.assert_allclose(exported, reference(X1, X2), rtol=1e-10, atol=1e-12)


@settings(max_examples=3000)
@given(st.text(alphabet=st.characters(codec="ascii"), max_size=60) | st.text(max_size=40))
def test_any_text_parses_or_is_refused_with_a_value_error(text):
    try:
        result = Expression(text).evaluate(x1=X1, x2=X2)
    except ValueError as err:
        assert str(err).startswith("expression: ") and "\n" not in str(err)
    else:
        assert result.shape == X1.shape
