"""Engine speed against PyTorch, measured in one run on this machine (not a test).

    python benchmarks/engine.py

Prints steps/s of nnweb and of the equivalent PyTorch model (float32 torch on CPU with
one thread, its fastest setting for nets this small; nnweb in float64) and the time to
evaluate every representation on 100x100 and 200x200 grids of the input plane, and the
views' float32 pass per activation, as a ratio to tanh measured in the same run (GELU was
~37x tanh in the browser while it left the float32 path and cubed with pow()).
"""
import time

import numpy as np
import torch

from nnweb.engine import DOMAIN, DataSpec, LayerSpec, ModelSpec, Network, TrainSpec, Trainer, make_data

torch.set_num_threads(1)

CASES = {
    "(a) 2-8-8-1 tanh, batch 10, 500 points": (
        ModelSpec(layers=(LayerSpec(8, "tanh"), LayerSpec(8, "tanh"))),
        TrainSpec(batch_size=10), DataSpec(points=1000, train_ratio=0.5)),
    "(b) 2-(16x6)-3 relu+BatchNorm, batch 32": (
        ModelSpec(layers=tuple(LayerSpec(16, "relu", "batchnorm", False) for _ in range(6)),
                  head="softmax", outputs=3),
        TrainSpec(batch_size=32), DataSpec(dataset="blobs", classes=3, points=1000)),
}


def best_of(fn, repeats=5):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def nnweb_steps_per_s(model, train, data, steps=2000):
    d = make_data(data)
    trainer = Trainer(model, train, d.x_train, d.y_train)
    return steps / best_of(lambda: trainer.train_steps(steps))


def torch_steps_per_s(model, train, data, steps=2000):
    d = make_data(data)
    layers, fan_in = [], model.inputs
    for spec in model.layers:
        layers.append(torch.nn.Linear(fan_in, spec.width))
        if spec.norm == "batchnorm":
            layers.append(torch.nn.BatchNorm1d(spec.width))
        layers.append(torch.nn.Tanh() if spec.activation == "tanh" else torch.nn.ReLU())
        fan_in = spec.width
    layers.append(torch.nn.Linear(fan_in, model.outputs))
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(net.parameters(), lr=train.learning_rate)
    x = torch.tensor(d.x_train, dtype=torch.float32)
    if model.head == "softmax":
        y, loss_fn = torch.tensor(d.y_train), torch.nn.CrossEntropyLoss()
    else:
        y, loss_fn = torch.tensor(d.y_train, dtype=torch.float32)[:, None], torch.nn.BCEWithLogitsLoss()
    gen = torch.Generator().manual_seed(0)
    b = train.batch_size

    def run():
        order = torch.randperm(len(x), generator=gen)
        for i in range(steps):
            idx = order[(i * b) % (len(x) - b):][:b]
            opt.zero_grad()
            loss_fn(net(x[idx]), y[idx]).backward()
            opt.step()
    return steps / best_of(run)


def grid(n):
    ticks = np.linspace(-DOMAIN, DOMAIN, n)
    return np.stack(np.meshgrid(ticks, ticks), axis=-1).reshape(-1, 2)


def main():
    print(f"{'case':44s} {'nnweb steps/s':>14s} {'torch steps/s':>14s} {'ratio':>6s}")
    for name, (model, train, data) in CASES.items():
        ours, theirs = nnweb_steps_per_s(model, train, data), torch_steps_per_s(model, train, data)
        print(f"{name:44s} {ours:14,.0f} {theirs:14,.0f} {ours / theirs:6.2f}")
    print()
    for name, (model, _, _) in CASES.items():
        d = make_data(DataSpec())
        net = Trainer(model, TrainSpec(), d.x_train, d.y_train).network
        for n in (100, 200):
            g = grid(n)
            ms = best_of(lambda: net.representations(g), repeats=20) * 1000
            print(f"all representations, {n}x{n} grid, {name[:4]}: {ms:7.2f} ms")
    print()
    views_pass_by_activation()


def views_pass_by_activation(points=10_000, kinds=("tanh", "gelu", "sigmoid", "relu", "softplus")):
    """The views' pass (float32, as scene.py runs it) over 2-8-8-8-1 nets differing only in
    their activation: the time of each, and its ratio to tanh's."""
    x = np.random.default_rng(0).uniform(-DOMAIN, DOMAIN, (points, 2)).astype(np.float32)
    times = {}
    for kind in kinds:
        net = Network(ModelSpec(layers=tuple(LayerSpec(8, kind) for _ in range(3))))
        times[kind] = best_of(lambda: net.representations(x), repeats=30) * 1000
    for kind, ms in times.items():
        print(f"views' pass, {points:,} points, 3 layers of 8, {kind:8s}: {ms:6.2f} ms "
              f"({ms / times['tanh']:5.2f}x tanh)")


if __name__ == "__main__":
    main()
