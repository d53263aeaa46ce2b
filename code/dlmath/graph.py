"""A scalar reverse-mode automatic differentiation engine: a careful, faster micrograd.

Every :class:`Value` remembers the Values it was computed from (its ``parents``) and, right beside
the forward computation, the local derivatives :math:`\\partial\\,\\text{out}/\\partial\\,\\text{parent}`.
:meth:`Value.backward` then walks the graph from the output back to the inputs with the chain rule

.. math:: \\frac{\\partial L}{\\partial p} = \\sum_{c\\ \\text{made from}\\ p}
          \\frac{\\partial L}{\\partial c}\\,\\frac{\\partial c}{\\partial p}.

Choices made for speed and safety: local derivatives are stored as numbers (no closures); the graph
is walked with a loop, not recursion, so a chain of 100,000 nodes works; a plain number is folded
into the node that uses it (``2 * v`` is one node); :func:`value_sum` and :func:`value_dot` make a
single node with many parents.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Iterable, Sequence

__all__ = ["Value", "topological_order", "value_dot", "value_sum"]

_NO_VALUE_EXPONENT = "exponent must be a plain number, not a Value (write b**x as (x * log(b)).exp())"


def _number(x: object, name: str) -> float:
    """Return ``x`` as a finite float, or raise ValueError naming ``name``."""
    if type(x) is not float:  # the general (slower) check only for ints, NumPy scalars, wrong types
        if isinstance(x, bool) or not isinstance(x, Real):
            raise ValueError(f"{name} must be a real number, got {type(x).__name__} {x!r}")
        x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite (not nan or inf), got {x}")
    return x


class Value:
    """A scalar in a computation graph, with room for the derivative of an output with respect to it.

    Parameters
    ----------
    data : float
        The number; must be finite.
    label : str, optional
        A name for drawings of the graph.

    Attributes
    ----------
    data, grad : float
        The number, and after ``L.backward()`` the derivative :math:`\\partial L/\\partial\\,\\text{self}`.
    parents : tuple of Value
        The Values this one was computed from; empty for inputs ("leaves").
    local_grads : tuple of float
        :math:`\\partial\\,\\text{self}/\\partial\\,\\text{parent}` for each parent, in the same order.
    op : str
        The operation that made it: ``"+"``, ``"*"``, ``"**3"`` (with its exponent), ``"exp"``,
        ``"log"``, ``"tanh"``, ``"sigmoid"``, ``"relu"``, ``"abs"``, ``"sum"``, ``"dot"``; ``""`` for leaves. A
        plain number in ``v + 2`` or ``2 * v`` is not a node of its own, so such a node has one parent.

    Examples
    --------
    >>> p, q, r = Value(5.0), Value(3.0), Value(2.0)
    >>> J = 3 * (p + q * r)
    >>> J.backward()
    >>> J.data, p.grad, q.grad, r.grad
    (33.0, 3.0, 6.0, 9.0)
    """

    __slots__ = ("data", "grad", "parents", "local_grads", "op", "label")
    __array_ufunc__ = None  # so that numpy_scalar * Value hands over to Value.__rmul__

    def __init__(self, data: float, label: str = "", _parents: tuple = (), _local_grads: tuple = (),
                 _op: str = "") -> None:
        # Results of our own operations are floats already; only check what a user passes in.
        self.data = data if _parents else _number(data, "data")
        self.grad = 0.0
        self.parents, self.local_grads, self.op, self.label = _parents, _local_grads, _op, label

    # Each operation: forward value, then the local derivative of the result for each parent.
    def __add__(self, other: Value | float) -> Value:
        if isinstance(other, Value):  # d(s+t)/ds = 1, d(s+t)/dt = 1
            return Value(self.data + other.data, "", (self, other), (1.0, 1.0), "+")
        c = _number(other, "other")  # d(s+c)/ds = 1
        return Value(self.data + c, "", (self,), (1.0,), "+")

    def __mul__(self, other: Value | float) -> Value:
        if isinstance(other, Value):  # d(st)/ds = t, d(st)/dt = s
            return Value(self.data * other.data, "", (self, other), (other.data, self.data), "*")
        c = _number(other, "other")  # d(cs)/ds = c
        return Value(self.data * c, "", (self,), (c,), "*")

    def __pow__(self, exponent: float) -> Value:
        if isinstance(exponent, Value):
            raise ValueError(_NO_VALUE_EXPONENT)
        p, x = _number(exponent, "exponent"), self.data
        try:  # d(x^p)/dx = p x^(p-1)
            out, local = x**p, p * x ** (p - 1)
        except (ZeroDivisionError, OverflowError) as err:
            raise ValueError(f"{x!r} ** {p!r} or its derivative is undefined or too large ({err})") from None
        if isinstance(out, complex) or isinstance(local, complex):
            raise ValueError(f"{x!r} ** {p!r}: a negative base needs a whole-number exponent")
        return Value(out, "", (self,), (local,), f"**{p:g}")

    def __rpow__(self, base: float) -> Value:
        raise ValueError(_NO_VALUE_EXPONENT)

    def exp(self) -> Value:
        try:
            out = math.exp(self.data)
        except OverflowError:
            raise ValueError(f"exp({self.data!r}) overflows a float (needs data < 709.78)") from None
        return Value(out, "", (self,), (out,), "exp")  # d(e^x)/dx = e^x

    def log(self) -> Value:
        if self.data <= 0:
            raise ValueError(f"log needs a positive Value, got data={self.data!r}")
        return Value(math.log(self.data), "", (self,), (1.0 / self.data,), "log")  # d(ln x)/dx = 1/x

    def tanh(self) -> Value:
        t = math.tanh(self.data)  # math.tanh saturates to +-1 without overflowing
        return Value(t, "", (self,), (1.0 - t * t,), "tanh")  # d(tanh x)/dx = 1 - tanh^2 x

    def sigmoid(self) -> Value:
        x = self.data
        e = math.exp(-abs(x))  # exp of a non-positive number: no overflow for any x
        s, s_neg = (1.0 / (1.0 + e), e / (1.0 + e)) if x >= 0 else (e / (1.0 + e), 1.0 / (1.0 + e))
        # d(sigma)/dx = sigma (1 - sigma), with 1 - sigma(x) computed as sigma(-x): no cancellation
        return Value(s, "", (self,), (s * s_neg,), "sigmoid")

    def relu(self) -> Value:
        """:math:`\\max(0, x)`. At the kink :math:`x = 0`, where the one-sided slopes are 0 and 1 and
        there is no derivative, the local derivative is taken to be 0 (as PyTorch does)."""
        x = self.data  # d(max(0, x))/dx = 1 if x > 0 else 0 (we pick 0 at the kink x = 0)
        return Value(x if x > 0 else 0.0, "", (self,), (1.0 if x > 0 else 0.0,), "relu")

    def __abs__(self) -> Value:
        """:math:`|x|`. At the kink :math:`x = 0`, where the one-sided slopes are -1 and 1 and
        there is no derivative, the local derivative is taken to be 0 (as PyTorch does)."""
        x = self.data  # d|x|/dx = sign(x): -1, 0 (our choice at the kink) or 1
        return Value(abs(x), "", (self,), (1.0 if x > 0 else (-1.0 if x < 0 else 0.0),), "abs")

    # Built from the primitives above, so they need no derivatives of their own.
    def __neg__(self) -> Value:
        return self * -1.0

    __radd__ = __add__  # c + a = a + c
    __rmul__ = __mul__  # c * a = a * c

    def __sub__(self, other: Value | float) -> Value:  # a - b = a + (-b)
        return self + (-other if isinstance(other, Value) else -_number(other, "other"))

    def __rsub__(self, other: float) -> Value:  # c - a = (-a) + c
        return -self + other

    def __truediv__(self, other: Value | float) -> Value:  # a / b = a * b**-1
        divisor = other.data if isinstance(other, Value) else _number(other, "divisor")
        if divisor == 0:
            raise ValueError("cannot divide by zero: the divisor is 0")
        return self * (other**-1 if isinstance(other, Value) else divisor**-1)

    def __rtruediv__(self, other: float) -> Value:  # c / a = c * a**-1
        if self.data == 0:
            raise ValueError("cannot divide by zero: the divisor is a Value whose data is 0")
        return self**-1 * other

    def backward(self) -> None:
        """Fill ``.grad`` of every Value below this one with :math:`\\partial\\,\\text{self}/\\partial v`.

        Goes through the graph once, from this output back to the leaves, in reverse
        :func:`topological_order`; each Value passes ``grad * local_grad`` to each of its parents,
        and a Value used several times (``x * x``, a shared weight) adds up all its contributions.

        Notes
        -----
        Classic pitfall: leaves' gradients **accumulate**. Calling ``backward`` twice without
        :meth:`zero_grad` in between adds the gradient twice. This is what lets gradients of several
        losses add up, and why training loops zero the gradients each step (PyTorch accumulates into
        leaves the same way, though it refuses a second backward through one graph unless asked to
        keep it with ``retain_graph=True``).
        Inner (non-leaf) Values are reset, so they hold the gradient of the latest call.
        """
        order = topological_order(self)
        for node in order:  # inner nodes start afresh; only leaves keep what they had
            if node.parents:
                node.grad = 0.0
        self.grad += 1.0  # d self / d self
        for node in reversed(order):  # every child comes before its parents here
            g = node.grad
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += local * g  # chain rule

    def zero_grad(self) -> None:
        """Set ``.grad`` to 0 for this Value and every Value it was computed from."""
        for node in topological_order(self):
            node.grad = 0.0

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"


def topological_order(root: Value) -> list[Value]:
    """Return ``root`` and every Value it depends on, each after all of its parents.

    The leaves come first and ``root`` last; a depth-first search with an explicit stack (no
    recursion), so graphs of any depth work.
    """
    if not isinstance(root, Value):
        raise ValueError(f"root must be a Value, got {type(root).__name__}")
    order, seen = [], {root}
    stack = [(root, iter(root.parents))]  # each entry: a node and the parents still to visit
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if parent not in seen:
                seen.add(parent)
                if parent.parents:  # descend; come back to `node` later
                    stack.append((parent, iter(parent.parents)))
                    break
                order.append(parent)  # a leaf is finished at once
        else:  # all parents done
            stack.pop()
            order.append(node)
    return order


def value_sum(values: Iterable[Value | float]) -> Value:
    """Return :math:`\\sum_i v_i` as **one** node; its local derivatives are all 1.

    Same result as ``sum(values)``, which builds a chain of ``n - 1`` additions; plain numbers among
    ``values`` are added into the data.
    """
    parents, total = [], 0.0
    for v in values:
        if isinstance(v, Value):
            parents.append(v)
            total += v.data
        else:
            total += _number(v, "values")
    return Value(total, "", tuple(parents), (1.0,) * len(parents), "sum" if parents else "")


def value_dot(weights: Sequence[Value | float], inputs: Sequence[Value | float],
              bias: Value | float = 0.0) -> Value:
    """Return :math:`b + \\sum_i w_i x_i` (a neuron's pre-activation) as **one** node.

    Local derivatives: :math:`\\partial/\\partial w_i = x_i`, :math:`\\partial/\\partial x_i = w_i`,
    :math:`\\partial/\\partial b = 1`. Any entry may be a plain number (then it is a constant).
    """
    if len(weights) != len(inputs):
        raise ValueError(f"weights and inputs must have the same length, got {len(weights)} and {len(inputs)}")
    is_value = isinstance(bias, Value)
    parents, local = ([bias], [1.0]) if is_value else ([], [])
    total = bias.data if is_value else _number(bias, "bias")
    for w, x in zip(weights, inputs):  # added in order, so the sum equals b + w0*x0 + w1*x1 + ...
        wd = w.data if isinstance(w, Value) else _number(w, "weights")
        xd = x.data if isinstance(x, Value) else _number(x, "inputs")
        total += wd * xd
        if isinstance(w, Value):
            parents.append(w)
            local.append(xd)
        if isinstance(x, Value):
            parents.append(x)
            local.append(wd)
    return Value(total, "", tuple(parents), tuple(local), "dot" if parents else "")
