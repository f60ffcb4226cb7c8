#!/usr/bin/python3
"""Training throughput of the Millrace GPT in PyTorch eager: the yardstick of train.vs_pytorch.

The same model as org.millrace.training.model.Gpt (GPT-2 layout: learned positions, pre-LayerNorm blocks,
attention written out with an additive causal mask, exact-erf GELU MLP, tied output head, GPT-2
initialisation), the same AdamW (weight decay on the linear weights only), clipping and batch, on random
tokens held in memory. Prints one JSON line: {"tokens_per_s": ..., "torch": ..., "threads": ..., ...}.
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, heads, layers):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(d, eps=1e-5)
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d, eps=1e-5)
        self.c_fc = nn.Linear(d, 4 * d)
        self.mlp_proj = nn.Linear(4 * d, d)
        for lin in (self.c_attn, self.c_fc):
            nn.init.normal_(lin.weight, std=0.02)
            nn.init.zeros_(lin.bias)
        for lin in (self.c_proj, self.mlp_proj):
            nn.init.normal_(lin.weight, std=0.02 / math.sqrt(2 * layers))
            nn.init.zeros_(lin.bias)

    def attn(self, x, mask):
        b, t, c = x.shape
        q, k, v = self.c_attn(x).split(c, dim=2)                                   # 3 x (B, T, C)
        q = q.view(b, t, self.heads, c // self.heads).transpose(1, 2)               # (B, nh, T, hs)
        k = k.view(b, t, self.heads, c // self.heads).transpose(1, 2)               # (B, nh, T, hs)
        v = v.view(b, t, self.heads, c // self.heads).transpose(1, 2)               # (B, nh, T, hs)
        att = (q * (1.0 / math.sqrt(c // self.heads))) @ k.transpose(-2, -1)        # (B, nh, T, T)
        att = F.softmax(att + mask, dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, c)                              # (B, T, C)
        return self.c_proj(y)

    def forward(self, x, mask):
        x = x + self.attn(self.ln_1(x), mask)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x))))


class Gpt(nn.Module):
    def __init__(self, vocab, context, d, layers, heads):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(context, d)
        nn.init.normal_(self.wte.weight, std=0.02)
        nn.init.normal_(self.wpe.weight, std=0.02)
        self.h = nn.ModuleList([Block(d, heads, layers) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d, eps=1e-5)

    def forward(self, idx):
        t = idx.shape[1]
        mask = torch.full((t, t), float("-inf")).triu(1)                            # (T, T)
        x = self.wte(idx) + self.wpe(torch.arange(t))                              # (B, T, C)
        for block in self.h:
            x = block(x, mask)
        return self.ln_f(x) @ self.wte.weight.t()                                  # (B, T, V)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vocab", type=int, default=257)
    p.add_argument("--seq", type=int, default=256)
    p.add_argument("--d-model", type=int, default=128)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--steps", type=int, default=30)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(1337)
    model = Gpt(a.vocab, a.seq, a.d_model, a.layers, a.heads)
    decayed = [prm for name, prm in model.named_parameters() if prm.dim() == 2 and not name.startswith(("wte", "wpe"))]
    other = [prm for name, prm in model.named_parameters() if not (prm.dim() == 2 and not name.startswith(("wte", "wpe")))]
    opt = torch.optim.AdamW([{"params": decayed, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}],
                            lr=6e-4, betas=(0.9, 0.95), eps=1e-8)
    batches = [torch.randint(0, a.vocab, (a.batch, a.seq + 1)) for _ in range(8)]

    def step(i):
        w = batches[i % len(batches)]
        logits = model(w[:, :-1])                                                  # (B, T, V)
        loss = F.cross_entropy(logits.reshape(-1, a.vocab), w[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()

    for i in range(a.warmup):
        step(i)
    start = time.perf_counter()
    for i in range(a.steps):
        loss = step(a.warmup + i)
    elapsed = time.perf_counter() - start
    print(json.dumps({"tokens_per_s": a.batch * a.seq * a.steps / elapsed, "seconds": elapsed, "loss": loss,
                      "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "parameters": sum(prm.numel() for prm in model.parameters())}))


if __name__ == "__main__":
    main()
