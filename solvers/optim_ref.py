"""PyTorch reference for optim.steps: the real torch.optim classes in float64.

    SGD, momentum and Nesterov (PyTorch form)   torch.optim.SGD(momentum, dampening, nesterov)
    AdaGrad, RMSProp, Adam, AdamW               torch.optim.Adagrad / RMSprop / Adam / AdamW
    the gradient part                           autograd of the objective + λ/2‖w‖² (coupled decay);
                                                torch's optimizer gets autograd of the objective alone
                                                and adds λw itself (weight_decay=λ)

Forms torch has no class for, mapped onto torch.optim by exact identities:

    Keras momentum / Keras Nesterov   v = −η·b  (b = torch's momentum_buffer; same weights)
    moving-average momentum           SGD(lr = η(1−β), momentum = β):  v = (1−β)·b
    look-ahead Nesterov               torch's parameter is the look-ahead point w̃ = w + μv of
                                      SGD(nesterov=True); v = −η·b and w = w̃ − μv
    decoupled decay (not AdamW)       p ← (1 − ηλ)p before torch's step (Loshchilov & Hutter; Keras)
    ε inside the root, Keras' ε̂       torch computes every accumulator; the weight update is then
                                      applied from torch's state (no torch class puts ε there)

solvers/optim_numpy.py re-derives every form directly (NumPy) as a second check.
"""

from __future__ import annotations

import torch

from solvers import reference

F64 = torch.float64


def one_thread(fn):
    """Run a reference on one intra-op thread: these tensors have a handful of entries, and on a
    busy machine torch's thread pool makes each call ten times slower (8 ms against 0.9 ms)."""
    import functools

    @functools.wraps(fn)
    def run(*args, **kwargs):
        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return fn(*args, **kwargs)
        finally:
            torch.set_num_threads(before)

    return run


def _loss(batch: list[dict], k: int):
    """The summed objective of a batch of problems (one row of the parameter each)."""
    params = batch[0]
    if "grads" in params:
        g = torch.tensor([p["grads"][k - 1] for p in batch], dtype=F64)
        return lambda w: (g * w).sum()                       # a linear function with that gradient
    if "quad" in params:
        a = torch.tensor([p["quad"] for p in batch], dtype=F64)
        c = torch.tensor([p.get("center") or [0.0] * len(p["quad"]) for p in batch], dtype=F64)
        return lambda w: (a * (w - c) ** 2).sum()
    xy = torch.tensor([p["data"] for p in batch], dtype=F64)    # N × n × 2 (the same n in a batch)
    half = 0.5 if params.get("loss") == "half" else 1.0
    return lambda w: half * ((w[:, :1] * xy[..., 0] + w[:, 1:] - xy[..., 1]) ** 2).mean(dim=1).sum()


def _grad(fn, at: torch.Tensor, extra: float = 0.0) -> torch.Tensor:
    q = at.detach().clone().requires_grad_(True)
    (fn(q) + 0.5 * extra * (q * q).sum()).backward()
    return q.grad.detach()


def _optimizer(params: dict, p: torch.Tensor, coupled_lam: float, decoupled: bool):
    opt, form, lr = params["optimizer"], params.get("form", "pytorch"), params["lr"]
    if opt in ("sgd", "momentum", "nesterov"):
        mu = params.get("momentum", 0.0) if opt != "sgd" else 0.0
        rate = lr * (1 - mu) if form == "ema" else lr
        return torch.optim.SGD([p], lr=rate, momentum=mu, dampening=params.get("dampening", 0.0),
                               nesterov=opt == "nesterov", weight_decay=coupled_lam)
    if opt == "adagrad":
        return torch.optim.Adagrad([p], lr=lr, eps=params["eps"], initial_accumulator_value=params.get("init", 0.0),
                                   weight_decay=coupled_lam)
    if opt == "rmsprop":
        return torch.optim.RMSprop([p], lr=lr, alpha=params["rho"], eps=params["eps"], weight_decay=coupled_lam)
    betas = (params["beta1"], params["beta2"])
    if decoupled:
        return torch.optim.AdamW([p], lr=lr, betas=betas, eps=params["eps"], weight_decay=params["weight_decay"])
    return torch.optim.Adam([p], lr=lr, betas=betas, eps=params["eps"], weight_decay=coupled_lam)


def _rows(batch: list[dict], name: str) -> torch.Tensor:
    return torch.tensor([p["state"][name] for p in batch], dtype=F64)


def _buffer_from(batch: list[dict]) -> torch.Tensor:
    params = batch[0]
    form = params.get("form", "pytorch")
    if form == "pytorch":
        return _rows(batch, "b")
    v = _rows(batch, "v")
    return v / (1 - params["momentum"]) if form == "ema" else -v / params["lr"]


def _preset(batch: list[dict], optimizer, p: torch.Tensor) -> None:
    """Resume: torch's own state slots filled with the accumulators after state['t'] steps."""
    params = batch[0]
    opt, step = params["optimizer"], torch.tensor(float(params["state"]["t"]))
    tensor = lambda name: _rows(batch, name)  # noqa: E731
    if opt in ("momentum", "nesterov"):
        optimizer.state[p]["momentum_buffer"] = _buffer_from(batch)
    elif opt == "adagrad":
        optimizer.state[p].update({"step": step, "sum": tensor("s")})
    elif opt == "rmsprop":
        optimizer.state[p].update({"step": step, "square_avg": tensor("s")})
    elif opt in ("adam", "adamw"):
        optimizer.state[p].update({"step": step, "exp_avg": tensor("m"), "exp_avg_sq": tensor("v")})


def _columns(params: dict) -> list[str]:
    from problems._optim import columns

    return columns(params)


def _by_hand_update(params: dict, w_before: torch.Tensor, g_used: torch.Tensor, shrink: float,
                    row: dict) -> torch.Tensor | None:
    """The weight update for ε inside the root or Keras' ε̂, from torch's accumulators."""
    at, opt, lr, eps = params.get("eps_at", "outside"), params["optimizer"], params["lr"], params.get("eps", 0.0)
    if opt not in ("adagrad", "rmsprop", "adam", "adamw") or at == "outside":
        return None
    if opt in ("adagrad", "rmsprop"):
        return shrink * w_before - lr * g_used / torch.sqrt(row["s"] + eps)
    if at == "inside":
        return shrink * w_before - lr * row["mhat"] / torch.sqrt(row["vhat"] + eps)
    return shrink * w_before - row["alpha"] * row["m"] / (torch.sqrt(row["v"]) + eps)


@reference("optim.steps")
@one_thread
def torch_steps(params: dict) -> dict:
    return torch_batch([params])[0]


@one_thread
def torch_batch(batch: list[dict]) -> list[dict]:
    """Answers of many problems that share the optimizer and every hyper-parameter, in one torch
    run: torch.optim acts on each coordinate separately, so each problem is one row of one
    parameter tensor (the same objective kind, number of steps and of points in a batch)."""
    params = batch[0]
    opt, form, lr = params["optimizer"], params.get("form", "pytorch"), params["lr"]
    lam = params.get("weight_decay", 0.0)
    decoupled = lam > 0 and (opt == "adamw" or params.get("decay") == "decoupled")
    coupled_lam = lam if lam > 0 and not decoupled else 0.0
    state0 = params.get("state") or {}
    t0, mu = state0.get("t", 0), params.get("momentum", 0.0)
    w = torch.tensor([p["w0"] for p in batch], dtype=F64)
    v_prev = _rows(batch, "v") if form == "lookahead" and "v" in state0 else torch.zeros_like(w)
    p = torch.nn.Parameter(w + mu * v_prev if form == "lookahead" else w.clone())
    optimizer = _optimizer(params, p, coupled_lam, decoupled)
    if state0:
        _preset(batch, optimizer, p)
    cols, out = _columns(params), [{} for _ in batch]
    for k in range(1, params["steps"] + 1):
        fn = _loss(batch, k)
        at = p.detach().clone()
        w_before = at - mu * v_prev if form == "lookahead" else at
        row = {"look": at, "g": _grad(fn, at, coupled_lam)}
        p.grad = _grad(fn, at)
        shrink = 1 - lr * lam if decoupled else 1.0
        if decoupled and opt not in ("adam", "adamw"):
            with torch.no_grad():
                p.mul_(shrink)
        optimizer.step()
        st = optimizer.state[p]
        if opt in ("momentum", "nesterov"):
            buf = st["momentum_buffer"]
            row["b"] = buf
            row["v"] = (1 - mu) * buf if form == "ema" else -lr * buf
        elif opt in ("adagrad", "rmsprop"):
            row["s"] = st["sum"] if opt == "adagrad" else st["square_avg"]
        elif opt in ("adam", "adamw"):
            b1, b2, step = params["beta1"], params["beta2"], float(st["step"])
            row.update(m=st["exp_avg"], v=st["exp_avg_sq"], mhat=st["exp_avg"] / (1 - b1 ** step),
                       vhat=st["exp_avg_sq"] / (1 - b2 ** step),
                       alpha=torch.full((len(batch), 1), lr * (1 - b2 ** step) ** 0.5 / (1 - b1 ** step), dtype=F64))
        new = _by_hand_update(params, w_before, p.grad + coupled_lam * w_before, shrink, row)
        if new is not None:
            with torch.no_grad():
                p.copy_(new)
        if form == "lookahead":
            v_prev = row["v"].detach().clone()
            row["w"] = p.detach() - mu * v_prev
        else:
            row["w"] = p.detach().clone()
        for name in cols:
            values = row[name].tolist()
            for answers, value in zip(out, values):
                answers[_pid(len(answers))] = value[0] if len(value) == 1 else value
    return out
def _pid(i: int) -> str:
    from quizgen.model import part_id

    return part_id(i)


@reference("optim.gd_function")
@one_thread
def gd_function(params: dict) -> dict:
    """torch.optim.SGD on the polynomial (autograd for f'), f'' by double backward at w*, and
    every listed learning rate run for 200 steps in one optimizer (a param group per rate)."""
    from problems.optim_gd_function import PROBE_STEPS

    coeffs = torch.tensor(params["poly"], dtype=F64)
    n = len(params["poly"]) - 1
    f = lambda w: sum(coeffs[i] * w ** (n - i) for i in range(n + 1))  # noqa: E731
    p = torch.nn.Parameter(torch.tensor(params["w0"], dtype=F64))
    opt, values = torch.optim.SGD([p], lr=params["lr"]), []
    for _ in range(params["steps"]):
        opt.zero_grad()
        f(p).backward()
        values.append(p.grad.item())
        opt.step()
        values.append(p.item())
    ws = torch.tensor(params["wstar"], dtype=F64, requires_grad=True)
    (d1,) = torch.autograd.grad(f(ws), ws, create_graph=True)
    (d2,) = torch.autograd.grad(d1, ws)
    values += [d2.item(), 2 / d2.item()]
    out = {_pid(i): v for i, v in enumerate(values)}
    if params.get("lrs"):
        ps = [torch.nn.Parameter(torch.tensor(params["w0"], dtype=F64)) for _ in params["lrs"]]
        opt = torch.optim.SGD([{"params": [q], "lr": lr} for q, lr in zip(ps, params["lrs"])])
        away = [False] * len(ps)
        for _ in range(PROBE_STEPS):
            opt.zero_grad()
            sum(f(q) for q in ps).backward()
            opt.step()
            away = [a or not abs(q.item()) < 1e6 for a, q in zip(away, ps)]
            if all(away):
                break
            with torch.no_grad():   # a run that has left stays put (no overflow warnings)
                for q, a in zip(ps, away):
                    if a:
                        q.zero_()
        out[_pid(len(values))] = [_pid(i) for i, a in enumerate(away) if a]
    return out


_COMPARE = {  # optim.compare's stated hyper-parameters, as torch.optim constructors
    "sgd": lambda p, lr: torch.optim.SGD([p], lr=lr),
    "momentum": lambda p, lr: torch.optim.SGD([p], lr=lr, momentum=0.9),
    "nesterov": lambda p, lr: torch.optim.SGD([p], lr=lr, momentum=0.9, nesterov=True),
    "adagrad": lambda p, lr: torch.optim.Adagrad([p], lr=lr, eps=1e-10),
    "rmsprop": lambda p, lr: torch.optim.RMSprop([p], lr=lr, alpha=0.9, eps=1e-8),
    "adam": lambda p, lr: torch.optim.Adam([p], lr=lr, betas=(0.9, 0.999), eps=1e-8),
}


@reference("optim.compare")
@one_thread
def optim_compare(params: dict) -> dict:
    """Each optimizer run by torch.optim on the quadratic (autograd), f after k steps, the last step's length;
    the explanation parts: the right option (listed first in WHY) where the problem's order put it."""
    a = torch.tensor(params["quad"], dtype=F64)
    c = torch.tensor(params.get("center") or [0.0] * len(params["quad"]), dtype=F64)
    f = lambda w: (a * (w - c) ** 2).sum()  # noqa: E731
    ends, steps = [], []
    for name, lr in zip(params["optimizers"], params["lrs"]):
        p = torch.nn.Parameter(torch.tensor(params["w0"], dtype=F64))
        opt = _COMPARE[name](p, lr)
        for _ in range(params["steps"]):
            before = p.detach().clone()
            opt.zero_grad()
            f(p).backward()
            opt.step()
        ends.append(f(p.detach()).item())
        steps.append(torch.linalg.vector_norm(p.detach() - before).item())
    n = len(ends)
    out = {_pid(i): e for i, e in enumerate(ends)}
    out[_pid(n)] = _pid(min(range(n), key=ends.__getitem__))
    out.update({_pid(n + 1 + i): s for i, s in enumerate(steps)})
    for j, order in enumerate(params["orders"]):
        out[_pid(2 * n + 1 + j)] = _pid(order.index(0))
    return out


@reference("optim.clip")
@one_thread
def optim_clip(params: dict) -> dict:
    """torch.nn.utils.clip_grad_norm_ / clip_grad_value_ on real parameters whose .grad is the problem's."""
    ps = [torch.nn.Parameter(torch.zeros(len(g), dtype=F64)) for g in params["grads"]]
    for p, g in zip(ps, params["grads"]):
        p.grad = torch.tensor(g, dtype=F64)
    before = torch.linalg.vector_norm(torch.cat([p.grad for p in ps])).item()
    if params["mode"] == "norm":
        reported = torch.nn.utils.clip_grad_norm_(ps, params["c"]).item()   # the norm before, as torch reports it
        assert abs(reported - before) < 1e-9
    else:
        torch.nn.utils.clip_grad_value_(ps, params["c"])
    clipped = [p.grad.tolist() for p in ps]
    after = torch.linalg.vector_norm(torch.cat([p.grad for p in ps])).item()
    order = [before, *clipped, after] if params["mode"] == "norm" else [*clipped, before, after]
    return {_pid(i): v for i, v in enumerate(order)}


@reference("optim.norm")
@one_thread
def optim_norm(params: dict) -> dict:
    """nn.BatchNorm1d (train / eval) and nn.LayerNorm in float64; x̂ from torch.nn.functional without the
    affine; batch statistics with torch.mean / torch.var(correction=0).  Keras' running update is the
    same module with momentum 1 − m, except that Keras' running variance takes the biased σ²."""
    from torch.nn import functional as F

    x = torch.tensor(params["x"], dtype=F64)
    d, eps = x.shape[1], params["eps"]
    g, b = torch.tensor(params["gamma"], dtype=F64), torch.tensor(params["beta"], dtype=F64)
    if params["mode"] == "layer":
        ln = torch.nn.LayerNorm(d, eps=eps, dtype=F64)
        with torch.no_grad():
            ln.weight.copy_(g)
            ln.bias.copy_(b)
        values = [x.mean(1), x.var(1, correction=0), F.layer_norm(x, (d,), eps=eps), ln(x).detach()]
    else:
        pt = params["convention"] == "pytorch"
        bn = torch.nn.BatchNorm1d(d, eps=eps, momentum=params["momentum"] if pt else 1 - params["momentum"], dtype=F64)
        rm, rv = torch.tensor(params["running_mean"], dtype=F64), torch.tensor(params["running_var"], dtype=F64)
        with torch.no_grad():
            bn.weight.copy_(g)
            bn.bias.copy_(b)
            bn.running_mean.copy_(rm)
            bn.running_var.copy_(rv)
        if params["mode"] == "eval":
            bn.eval()
            values = [F.batch_norm(x, rm, rv, training=False, eps=eps), bn(x).detach()]
        else:
            y = bn(x).detach()
            biased = x.var(0, correction=0)
            new_rv = bn.running_var if pt else params["momentum"] * rv + (1 - params["momentum"]) * biased
            values = [x.mean(0), biased, F.batch_norm(x, None, None, training=True, eps=eps), y, bn.running_mean, new_rv]
    return {_pid(i): v.tolist() for i, v in enumerate(values)}


@reference("optim.schedule")
@one_thread
def optim_schedule(params: dict) -> dict:
    """torch.optim.lr_scheduler stepped once per epoch: StepLR, ExponentialLR (TF's γ^(e/k) is
    ExponentialLR with γ^(1/k)), CosineAnnealingLR, LinearLR (start factor f; torch needs f > 0, so
    f = 0 runs as 1e-12), and SequentialLR of the last two for warm-up then cosine."""
    from torch.optim import lr_scheduler as S

    p = torch.nn.Parameter(torch.zeros(1, dtype=F64))
    opt = torch.optim.SGD([p], lr=params["lr"])
    kind = params["kind"]
    warm = lambda: S.LinearLR(opt, start_factor=max(params["f"], 1e-12), end_factor=1.0, total_iters=params["W"])  # noqa: E731
    if kind == "step":
        sched = S.StepLR(opt, step_size=params["s"], gamma=params["gamma"])
    elif kind == "exp":
        sched = S.ExponentialLR(opt, gamma=params["gamma"] ** (1 / params.get("k", 1)))
    elif kind == "cosine":
        sched = S.CosineAnnealingLR(opt, T_max=params["T"], eta_min=params["eta_min"])
    elif kind == "warmup":
        sched = warm()
    else:
        sched = S.SequentialLR(opt, [warm(), S.CosineAnnealingLR(opt, T_max=params["T"] - params["W"], eta_min=params["eta_min"])],
                               milestones=[params["W"]])
    seen = []
    for _ in range(max(params["epochs"]) + 1):
        seen.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return {_pid(i): seen[e] for i, e in enumerate(params["epochs"])}
