"""NumPy reference for optim.steps: every form re-derived directly from its published pseudo-code.

    gradient       quad  2a ⊙ (w − c);   data  Xᵀr · 2/n (or 1/n for ½·MSE), X = [x, 1]
    momentum       PyTorch docs (b₁ = g₁; b = μb + (1−τ)g);  Keras SGD source (v = μv − ηg);
                   course notes (v = βv + (1−β)g)
    Nesterov       PyTorch docs (w −= η(g + μb));  Keras SGD source (w += μv − ηg);
                   Sutskever et al. 2013 / Goodfellow et al. §8.3.3 (gradient at w + μv)
    AdaGrad        PyTorch docs (√s + ε);  Keras 3 source (√(s + ε), s₀ = initial_accumulator_value)
    RMSProp        PyTorch docs (√s + ε);  Keras 3 source, D2L §12.8 (√(s + ε))
    Adam           Kingma & Ba Algorithm 1 (√v̂ + ε);  ε inside √(v̂ + ε);  Keras 3 source (ε̂ form)
    decay          coupled g += λw;  decoupled w −= ηλw before the step (Loshchilov & Hutter)

This is the check for the forms torch.optim has no class for (Keras momentum, the look-ahead
Nesterov, ε inside the root, ε̂), as well as a second check of the others.
"""

from __future__ import annotations

import numpy as np

from solvers import reference


def _gradient(params: dict, w: np.ndarray, k: int) -> np.ndarray:
    if "grads" in params:
        return np.asarray(params["grads"][k - 1], dtype=float)
    if "quad" in params:
        a = np.asarray(params["quad"], dtype=float)
        c = np.asarray(params.get("center") or np.zeros_like(a), dtype=float)
        return 2 * a * (w - c)
    xy = np.asarray(params["data"], dtype=float)
    X = np.column_stack([xy[:, 0], np.ones(len(xy))])
    r = X @ w - xy[:, 1]
    return X.T @ r * ((1.0 if params.get("loss") == "half" else 2.0) / len(xy))


@reference("optim.steps")
def numpy_steps(params: dict) -> dict:
    from problems._optim import columns
    from quizgen.model import part_id

    opt, form, lr = params["optimizer"], params.get("form", "pytorch"), params["lr"]
    lam = params.get("weight_decay", 0.0)
    decoupled = lam > 0 and (opt == "adamw" or params.get("decay") == "decoupled")
    mu, tau = params.get("momentum", 0.0), params.get("dampening", 0.0)
    eps, at = params.get("eps", 0.0), params.get("eps_at", "outside")
    st = params.get("state") or {}
    w = np.asarray(params["w0"], dtype=float)
    zeros = np.zeros_like(w)
    b = np.asarray(st["b"], dtype=float) if "b" in st else None
    v = np.asarray(st.get("v", zeros), dtype=float)
    m = np.asarray(st.get("m", zeros), dtype=float)
    s = np.asarray(st["s"], dtype=float) if "s" in st else zeros + params.get("init", 0.0)
    out, cols = {}, columns(params)
    for k in range(1, params["steps"] + 1):
        t = st.get("t", 0) + k
        point = w + mu * v if form == "lookahead" else w
        g = _gradient(params, point, k)
        if lam > 0 and not decoupled:
            g = g + lam * point
        row = {"look": point, "g": g}
        w_start = (1 - lr * lam) * w if decoupled else w
        if opt == "sgd":
            w = w_start - lr * g
        elif form == "pytorch" and opt in ("momentum", "nesterov"):
            b = g.copy() if b is None else mu * b + (1 - tau) * g
            w = w_start - lr * (g + mu * b if opt == "nesterov" else b)
            row["b"] = b
        elif form in ("keras", "lookahead"):
            v = mu * v - lr * g
            w = w_start + (mu * v - lr * g if opt == "nesterov" and form == "keras" else v)
            row["v"] = v
        elif form == "ema":
            v = mu * v + (1 - mu) * g
            w = w_start - lr * v
            row["v"] = v
        elif opt in ("adagrad", "rmsprop"):
            s = s + g * g if opt == "adagrad" else params["rho"] * s + (1 - params["rho"]) * g * g
            w = w_start - lr * g / (np.sqrt(s + eps) if at == "inside" else np.sqrt(s) + eps)
            row["s"] = s
        else:
            b1, b2 = params["beta1"], params["beta2"]
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            mhat, vhat = m / (1 - b1 ** t), v / (1 - b2 ** t)
            alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
            if at == "hat":
                w = w_start - alpha * m / (np.sqrt(v) + eps)
            else:
                w = w_start - lr * mhat / (np.sqrt(vhat + eps) if at == "inside" else np.sqrt(vhat) + eps)
            row.update(m=m, v=v, mhat=mhat, vhat=vhat, alpha=np.array([alpha]))
        row["w"] = w
        for name in cols:
            value = np.atleast_1d(row[name]).tolist()
            out[part_id(len(out))] = value[0] if len(value) == 1 else value
    return out
