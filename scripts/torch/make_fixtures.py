"""Reference values for the TypeScript model, computed by PyTorch.

Builds tiny GPTs written the way nanoGPT's model.py writes them (same module and parameter names),
fills them with fixed seeded weights, and writes JSON fixtures to test/fixtures/torch/:
weights by name, input ids, targets, logits, loss and the gradient of the loss for every parameter.
Also writes sinusoidal encodings (numpy) and a RoPE rotation (torch) to check the position code.

Run with Debian's Python, which has torch:  /usr/bin/python3 scripts/torch/make_fixtures.py
Arrays are stored as little-endian float32 in base64 ({"shape": [...], "b64": "..."}) to stay exact and small.
"""
import base64
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'torch')


def pack(t):
    a = np.ascontiguousarray(t.detach().cpu().numpy() if torch.is_tensor(t) else t, dtype='<f4')
    return {'shape': list(a.shape), 'b64': base64.b64encode(a.tobytes()).decode('ascii')}


def sinusoidal(T, C, offset=0, base=10000.0):
    """PE[p, 2i] = sin(p w_i), PE[p, 2i+1] = cos(p w_i), w_i = base^(-2i/C), in float64."""
    pe = np.zeros((T, C))
    for p in range(T):
        for d in range(C):
            w = base ** (-2 * (d // 2) / C)
            pe[p, d] = math.sin((p + offset) * w) if d % 2 == 0 else math.cos((p + offset) * w)
    return pe


def rope(x, offset=0, base=10000.0):
    """Rotate adjacent pairs (x_2i, x_2i+1) of x (B, H, T, D) by (offset + t) * base^(-2i/D) (RoFormer)."""
    B, H, T, D = x.shape
    inv = base ** (-torch.arange(0, D, 2, dtype=torch.float64) / D)  # (D/2)
    ang = (torch.arange(T, dtype=torch.float64)[:, None] + offset) * inv[None, :]  # (T, D/2)
    cos, sin = torch.cos(ang).float(), torch.sin(ang).float()
    x0, x1 = x[..., 0::2], x[..., 1::2]
    out = torch.stack([x0 * cos - x1 * sin, x0 * sin + x1 * cos], dim=-1)  # (B, H, T, D/2, 2)
    return out.reshape(B, H, T, D)


class LayerNorm(nn.Module):
    """nanoGPT's LayerNorm with an optional bias."""

    def __init__(self, ndim, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(ndim))
        self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)


class CausalSelfAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.c_attn = nn.Linear(cfg['nEmbd'], 3 * cfg['nEmbd'], bias=cfg['bias'])
        self.c_proj = nn.Linear(cfg['nEmbd'], cfg['nEmbd'], bias=cfg['bias'])
        self.n_head = cfg['nHead']
        self.rope = cfg['positional'] == 'rope'

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))  # (B, H, T, D)
        if self.rope:
            q, k = rope(q), rope(k)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(torch.tril(torch.ones(T, T, dtype=torch.bool)).logical_not(), float('-inf'))
        y = F.softmax(att, dim=-1) @ v
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.c_fc = nn.Linear(cfg['nEmbd'], 4 * cfg['nEmbd'], bias=cfg['bias'])
        self.c_proj = nn.Linear(4 * cfg['nEmbd'], cfg['nEmbd'], bias=cfg['bias'])

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x), approximate='tanh'))


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.ln_1 = LayerNorm(cfg['nEmbd'], cfg['bias'])
        self.attn = CausalSelfAttention(cfg)
        self.ln_2 = LayerNorm(cfg['nEmbd'], cfg['bias'])
        self.mlp = MLP(cfg)
        self.post = cfg['norm'] == 'post'

    def forward(self, x):
        if self.post:
            x = self.ln_1(x + self.attn(x))
            return self.ln_2(x + self.mlp(x))
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        t = dict(wte=nn.Embedding(cfg['vocabSize'], cfg['nEmbd']))
        if cfg['positional'] == 'learned':
            t['wpe'] = nn.Embedding(cfg['blockSize'], cfg['nEmbd'])
        t['h'] = nn.ModuleList([Block(cfg) for _ in range(cfg['nLayer'])])
        if cfg['norm'] == 'pre':
            t['ln_f'] = LayerNorm(cfg['nEmbd'], cfg['bias'])
        self.transformer = nn.ModuleDict(t)
        self.lm_head = nn.Linear(cfg['nEmbd'], cfg['vocabSize'], bias=False)
        self.transformer.wte.weight = self.lm_head.weight  # tied, as nanoGPT

    def forward(self, idx):
        B, T = idx.size()
        x = self.transformer.wte(idx)
        if self.cfg['positional'] == 'learned':
            x = x + self.transformer.wpe(torch.arange(T))
        elif self.cfg['positional'] == 'sinusoidal':
            x = x + torch.tensor(sinusoidal(T, self.cfg['nEmbd']), dtype=torch.float32)
        for block in self.transformer.h:
            x = block(x)
        if self.cfg['norm'] == 'pre':
            x = self.transformer.ln_f(x)
        return self.lm_head(x)


def make_gpt_fixture(name, cfg, seed, B=2):
    torch.manual_seed(seed)
    model = GPT(cfg)
    # Weights far from GPT-2's small init, so that a wrong attention scale or a swapped sin/cos changes the numbers.
    with torch.no_grad():
        for pname, p in model.named_parameters():
            if pname.endswith('ln_1.weight') or pname.endswith('ln_2.weight') or pname.endswith('ln_f.weight'):
                p.copy_(1 + 0.2 * torch.randn_like(p))
            elif pname.endswith('.bias'):
                p.copy_(0.1 * torch.randn_like(p))
            else:
                p.copy_(0.3 * torch.randn_like(p))
    idx = torch.randint(0, cfg['vocabSize'], (B, cfg['blockSize']))
    targets = torch.randint(0, cfg['vocabSize'], (B, cfg['blockSize']))
    logits = model(idx)
    loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
    loss.backward()
    state = {k: v for k, v in model.state_dict().items() if k != 'lm_head.weight'}  # tied to transformer.wte.weight
    named = dict(model.named_parameters())
    fixture = {
        'about': f'{name}: nanoGPT-style GPT in PyTorch {torch.__version__}, seed {seed}; made by scripts/torch/make_fixtures.py',
        'config': cfg,
        'names': list(state.keys()),
        'weights': {k: pack(v) for k, v in state.items()},
        'ids': idx.tolist(),
        'targets': targets.tolist(),
        'logits': pack(logits),
        'loss': loss.item(),
        'grads': {k: pack(named[k].grad) for k in state.keys()},
    }
    write(f'{name}.json', fixture)


def make_positions_fixture():
    torch.manual_seed(7)
    x = torch.randn(1, 2, 6, 8)
    fixture = {
        'about': 'sinusoidal encodings (numpy, float64) and RoPE rotations (torch); made by scripts/torch/make_fixtures.py',
        'sinusoidal': [
            {'T': 12, 'C': 16, 'offset': 0, 'pe': pack(sinusoidal(12, 16))},
            {'T': 5, 'C': 7, 'offset': 3, 'pe': pack(sinusoidal(5, 7, 3))},
            {'T': 4, 'C': 64, 'offset': 100, 'pe': pack(sinusoidal(4, 64, 100))},
        ],
        'rope': [
            {'offset': 0, 'x': pack(x), 'y': pack(rope(x))},
            {'offset': 5, 'x': pack(x), 'y': pack(rope(x, 5))},
        ],
    }
    write('positions.json', fixture)


def write(filename, obj):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, filename)
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(obj, f, separators=(',', ':'))
        f.write('\n')
    os.replace(tmp, path)  # atomic: a reader never sees half a fixture
    print(f'wrote {os.path.relpath(path)} ({os.path.getsize(path) // 1024} KB)')


if __name__ == '__main__':
    base = dict(vocabSize=11, blockSize=8, nLayer=2, nHead=2, nEmbd=16, dropout=0)
    make_gpt_fixture('gpt-learned-pre', dict(base, positional='learned', norm='pre', bias=True), seed=1)
    make_gpt_fixture('gpt-rope-post-nobias', dict(base, nEmbd=8, positional='rope', norm='post', bias=False), seed=2)
    make_gpt_fixture('gpt-sinusoidal-pre', dict(base, nEmbd=8, positional='sinusoidal', norm='pre', bias=True), seed=3)
    make_positions_fixture()
