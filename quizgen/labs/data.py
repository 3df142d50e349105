"""Lab data, all offline: scikit-learn's 8×8 digits and synthetic tasks made in code.

    digits:       1,797 images 1×8×8, pixels scaled to [0, 1] (x / 16), labels 0..9;
                  split once by a seeded permutation into train and test
    permuted:     the same images with one fixed pixel permutation (torch.randperm(64))
    first token:  x_t = [one-hot(token_t) ∈ R^K, start flag (1 at t = 1, else 0)],
                  tokens uniform over the K symbols, label = token_1
"""

from __future__ import annotations

import torch

Data = tuple[torch.Tensor, torch.Tensor]


def digits(seed: int = 0, test_fraction: float = 0.3, n_train: int | None = None) -> tuple[Data, Data]:
    """(train, test) of digits as float32 images N×1×8×8 and int64 labels, split by `seed`.

    `n_train` keeps only the first n training images (a small split for overfitting)."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    x = torch.tensor(bunch.images, dtype=torch.float32).unsqueeze(1) / 16.0
    y = torch.tensor(bunch.target, dtype=torch.int64)
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    n_test = int(round(len(x) * test_fraction))
    test, train = order[:n_test], order[n_test:]
    if n_train is not None:
        train = train[:n_train]
    return (x[train], y[train]), (x[test], y[test])


def pixel_permutation(seed: int, n_pixels: int = 64) -> torch.Tensor:
    """One fixed random order of the pixels, the same for every image."""
    return torch.randperm(n_pixels, generator=torch.Generator().manual_seed(seed))


def permute_pixels(data: Data, permutation: torch.Tensor) -> Data:
    """Shuffle the pixels of every image by the same permutation (shape kept)."""
    x, y = data
    flat = x.reshape(len(x), -1)[:, permutation.to(x.device)]
    return flat.reshape(x.shape), y


def first_token(n: int, length: int, vocab: int, seed: int) -> Data:
    """n sequences (n × length × (vocab + 1)) of random one-hot tokens with a start flag;
    the label is the first token.  The flag marks where the answer is, not what it is."""
    g = torch.Generator().manual_seed(seed)
    tokens = torch.randint(vocab, (n, length), generator=g)
    flag = torch.zeros(n, length, 1)
    flag[:, 0] = 1.0
    x = torch.cat([torch.nn.functional.one_hot(tokens, vocab).float(), flag], dim=2)
    return x, tokens[:, 0].clone()
