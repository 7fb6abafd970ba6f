"""PyTorch reference runner for `npm run bench` (run by bench/run.ts with Debian's /usr/bin/python3).

The same GPT as lib/src/model/gpt.ts (nanoGPT names, tied head, tanh GELU, pre-LN), the same initial
weights (read from the files the TypeScript runner wrote), the same fixed batch, and for --converge the
same data split, batches and evaluation batches (the course's mulberry32 Rng, ported below).
Prints one JSON line in the shape of bench/common.ts's RunnerResult.
"""
import argparse
import ctypes
import json
import math
import os
import re
import sys
import time

import torch
import torch.nn.functional as F


def openblas_threads(threads):
    """
    Give OpenBLAS `threads` threads and return how many it reports, or None where no OpenBLAS is loaded.
    torch.set_num_threads sets torch's own pool but not OpenBLAS's, which otherwise takes every core: a "1-thread"
    run would do its matrix products on two. (bench/run.ts also sets OPENBLAS_NUM_THREADS before the start.)
    """
    try:
        with open('/proc/self/maps') as maps:
            paths = {line.split()[-1] for line in maps if re.search(r'libopenblas[^/]*\.so', line)}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_set_num_threads(ctypes.c_int(threads))
            return lib.openblas_get_num_threads()
        except (OSError, AttributeError):
            continue
    return None


def blas_in_use():
    """Which BLAS library this process has loaded (from /proc/self/maps), and what torch was built with."""
    loaded = set()
    try:
        with open('/proc/self/maps') as maps:
            for line in maps:
                name = os.path.basename(line.split()[-1]) if '/' in line else ''
                if re.search(r'openblas|mkl|blis|atlas|libblas|libcblas', name, re.I):
                    loaded.add(name)
    except OSError:
        pass
    config = torch.__config__.show()
    built = re.search(r'BLAS_INFO=(\w+)', config)
    return ', '.join(sorted(loaded)) or 'none found in /proc/self/maps', built.group(1) if built else 'unknown'


class Rng:
    """lib/src/core/random.ts's mulberry32, bit for bit."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def next(self):
        self.state = (self.state + 0x6D2B79F5) & 0xFFFFFFFF
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t = (t ^ ((t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    def int(self, n):
        return math.floor(self.next() * n)

    def seed(self):
        return math.floor(self.next() * 2 ** 31)


def load_weights(prefix):
    """Named float32 tensors from the .bin/.json pair written by bench/js-worker.ts."""
    with open(prefix + '.json') as f:
        index = json.load(f)
    flat = torch.from_numpy(__import__('numpy').fromfile(prefix + '.bin', dtype='<f4'))
    params = {}
    for entry in index:
        size = math.prod(entry['shape'])
        params[entry['name']] = flat[entry['offset']:entry['offset'] + size].reshape(entry['shape']).clone().requires_grad_(True)
    return params


def linear(x, p, name):
    return F.linear(x, p[name + '.weight'], p.get(name + '.bias'))


def gpt_forward(p, cfg, ids):
    """Logits (B, T, V) for ids (B, T): the course's GPT, written out."""
    B, T = ids.shape
    C, H = cfg['nEmbd'], cfg['nHead']
    D = C // H
    x = p['transformer.wte.weight'][ids] + p['transformer.wpe.weight'][:T]  # (B, T, C)
    mask = torch.triu(torch.full((T, T), -1e9), diagonal=1)  # (T, T) additive, as lib/src/model/attention.ts
    for i in range(cfg['nLayer']):
        h = f'transformer.h.{i}'
        a = F.layer_norm(x, (C,), p[h + '.ln_1.weight'], p[h + '.ln_1.bias'], 1e-5)
        q, k, v = linear(a, p, h + '.attn.c_attn').split(C, dim=2)
        q, k, v = (t.view(B, T, H, D).transpose(1, 2) for t in (q, k, v))  # (B, H, T, D)
        att = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(D) + mask, dim=-1)  # (B, H, T, T)
        y = (att @ v).transpose(1, 2).reshape(B, T, C)
        x = x + linear(y, p, h + '.attn.c_proj')
        m = F.layer_norm(x, (C,), p[h + '.ln_2.weight'], p[h + '.ln_2.bias'], 1e-5)
        x = x + linear(F.gelu(linear(m, p, h + '.mlp.c_fc'), approximate='tanh'), p, h + '.mlp.c_proj')
    x = F.layer_norm(x, (C,), p['transformer.ln_f.weight'], p['transformer.ln_f.bias'], 1e-5)
    return x @ p['transformer.wte.weight'].t()  # (B, T, V), tied head


def make_optimizer(p):
    decay = [t for t in p.values() if t.dim() >= 2]
    rest = [t for t in p.values() if t.dim() < 2]
    groups = [{'params': decay, 'weight_decay': 0.1}, {'params': rest, 'weight_decay': 0.0}]
    return torch.optim.AdamW(groups, lr=1e-3, betas=(0.9, 0.99), eps=1e-8)


def train_step(p, cfg, opt, x, y, lr):
    for g in opt.param_groups:
        g['lr'] = lr
    logits = gpt_forward(p, cfg, x)
    loss = F.cross_entropy(logits.reshape(-1, cfg['vocabSize']), y.reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(list(p.values()), 1.0)
    opt.step()
    return loss


def median_ms(f, runs, warmup):
    for _ in range(warmup):
        f()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        f()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    return times[len(times) // 2]


def matmul_cases(model, quick):
    cfg, B = model['config'], model['batchSize']
    M, K, N = model['yardstick']
    BH, T, D = B * cfg['nHead'], cfg['blockSize'], cfg['nEmbd'] // cfg['nHead']
    g = torch.Generator().manual_seed(0)
    x, w, wt, dy = (torch.randn(s, generator=g) for s in ((M, K), (K, N), (N, K), (M, N)))
    q, k = torch.randn(BH, T, D, generator=g), torch.randn(BH, T, D, generator=g)
    runs = 3 if quick else 10

    def linear_grads():
        a, b = x.clone().requires_grad_(True), wt.clone().requires_grad_(True)
        ((a @ b.t()) * dy).sum().backward()

    with torch.no_grad():
        out = {
            'x @ W (plain)': median_ms(lambda: x @ w, runs, 2),
            'x @ Wᵀ (linear forward)': median_ms(lambda: x @ wt.t(), runs, 2),
            'xᵀ @ dy (weight gradient)': median_ms(lambda: x.t() @ dy, runs, 2),
            'q @ kᵀ (attention, batched)': median_ms(lambda: q @ k.transpose(-2, -1), runs, 2),
        }
    out['linear forward + both gradients'] = median_ms(linear_grads, runs, 2)
    return out


def matmul_rate(shape, quick):
    M, K, N = shape
    a, b = torch.randn(M, K), torch.randn(K, N)
    reps = 10  # as the TypeScript runner: ten products a timed call

    def products():
        for _ in range(reps):
            a @ b

    with torch.no_grad():
        ms = median_ms(products, 3 if quick else 10, 2) / reps
    return 2 * M * K * N / (ms * 1e6)


def time_train(model, weights_dir, quick):
    cfg, B, T = model['config'], model['batchSize'], model['config']['blockSize']
    prefix = os.path.join(weights_dir, 'init-' + model['name'])
    p = load_weights(prefix)
    with open(prefix + '.batch.json') as f:
        batch = json.load(f)
    x = torch.tensor(batch['x'], dtype=torch.long).view(B, T)
    y = torch.tensor(batch['y'], dtype=torch.long).view(B, T)
    opt = make_optimizer(p)
    losses = []

    def step():
        losses.append(train_step(p, cfg, opt, x, y, 1e-3).item())

    wide = model['name'] == 'wide'
    step()
    # As bench/common.ts's stepTiming: the baby step's median of 20 after 10 untimed steps (3 after 1 with --quick),
    # the wide step's median of 3 after 1 (1 with --quick).
    if wide:
        runs, warmup = (1, 0) if quick else (3, 1)
    else:
        runs, warmup = (3, 1) if quick else (20, 10)
    ms = median_ms(step, runs, warmup)
    return ms, losses[1]  # the second step's loss, which every runner reaches (js-worker.ts)


def lr_at(step, max_lr=1e-3, min_lr=1e-4, warmup=100, decay=2000):
    """lib/src/training/schedule.ts's warmupCosineLr."""
    if step < warmup:
        return max_lr * (step + 1) / warmup
    if step >= decay:
        return min_lr
    progress = (step - warmup) / max(1, decay - warmup)
    return min_lr + 0.5 * (1 + math.cos(math.pi * progress)) * (max_lr - min_lr)


def converge(model, weights_dir, text_path, seed=1337, target=1.88):
    """trainCharGPT's chapter 7 run, step for step: same split, batches, schedule, evaluations."""
    cfg, B, T = model['config'], model['batchSize'], model['config']['blockSize']
    with open(text_path, encoding='utf-8') as f:
        text = f.read()
    chars = sorted(set(text), key=ord)
    lookup = {c: i for i, c in enumerate(chars)}
    ids = torch.tensor([lookup[c] for c in text], dtype=torch.long)
    n_train, n_val = math.floor(len(ids) * 0.9), math.floor(len(ids) * 0.1)
    train_ids, val_ids = ids[:n_train], ids[n_train:n_train + n_val]

    def batch(stream, rng):
        room = len(stream) - T
        starts = torch.tensor([rng.int(room) for _ in range(B)])
        offsets = torch.arange(T)
        return stream[starts[:, None] + offsets], stream[starts[:, None] + offsets + 1]

    def estimate(stream, rng):
        with torch.no_grad():
            total = 0.0
            for _ in range(20):
                x, y = batch(stream, rng)
                rng.seed()
                total += F.cross_entropy(gpt_forward(p, cfg, x).reshape(-1, cfg['vocabSize']), y.reshape(-1)).item()
            return total / 20

    p = load_weights(os.path.join(weights_dir, 'init-baby'))
    opt = make_optimizer(p)
    rng = Rng(seed)
    evals = []
    started = time.perf_counter()

    def evaluate(step):
        estimate(train_ids, Rng(seed + 0x5EED))
        val = estimate(val_ids, Rng(seed + 0x5EED + 1))
        evals.append({'step': step, 'val': val, 'ms': (time.perf_counter() - started) * 1e3})

    for step in range(2000):
        if step % 250 == 0:
            evaluate(step)
        x, y = batch(train_ids, rng)
        rng.seed()
        train_step(p, cfg, opt, x, y, lr_at(step))
    evaluate(2000)
    hit = next((e for e in evals if e['val'] <= target), None)
    return {'target': target, 'reachedAtMs': hit and hit['ms'], 'reachedAtStep': hit and hit['step'], 'finalVal': evals[-1]['val'], 'evals': evals}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--threads', type=int, required=True)
    parser.add_argument('--tasks', required=True, help='JSON: runner, quick, matmul, train, converge, weightsDir, models, textPath')
    args = parser.parse_args()
    tasks = json.loads(args.tasks)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    torch.ones(2, 2) @ torch.ones(2, 2)  # loads the BLAS library
    blas_threads = openblas_threads(args.threads)
    loaded, built = blas_in_use()
    if built == 'mkl':
        # pip's wheels link MKL (and oneDNN) into torch itself: nothing to find in /proc/self/maps, and MKL follows torch's threads.
        blas = f"BLAS mkl{', oneDNN' if torch.backends.mkldnn.is_available() else ''}"
    else:
        blas = f'BLAS {built} (loaded: {loaded}, {blas_threads} BLAS threads)'
    result = {
        'runner': tasks['runner'],
        'detail': f"torch {torch.__version__}, {torch.get_num_threads()} thread{'' if torch.get_num_threads() == 1 else 's'}, {blas}",
    }
    errors = []
    models = tasks['models']
    log = lambda what: print(f"  [{tasks['runner']}] {what}", file=sys.stderr, flush=True)
    try:
        if tasks['matmul']:
            log('matmul')
            result['matmul'] = matmul_cases(models['baby'], tasks['quick'])
        result['matmulGflops'], result['trainStepMs'], result['trainLoss'] = {}, {}, {}
        for name in tasks['train']:
            log(f'matmul rate and train step, {name}')
            result['matmulGflops'][name] = matmul_rate(models[name]['yardstick'], tasks['quick'])
            ms, loss = time_train(models[name], tasks['weightsDir'], tasks['quick'])
            result['trainStepMs'][name], result['trainLoss'][name] = ms, loss
        if tasks['converge']:
            log('converge (2,000 steps)')
            result['converge'] = converge(models['baby'], tasks['weightsDir'], tasks['textPath'])
    except Exception as err:  # reported in the table, the other runners still count
        errors.append(f'{type(err).__name__}: {err}')
    if errors:
        result['error'] = '; '.join(errors)
    print(json.dumps(result))


if __name__ == '__main__':
    main()
