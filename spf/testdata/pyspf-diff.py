#!/usr/bin/python3
# Differential test of "preflight spf" against pyspf (Debian: python3-spf),
# the reference implementation of the open-spf suite. Not run by go test:
# it needs pyspf, which CI does not have.
#
#   apt-get install python3-spf
#   go build -o /tmp/preflight . && PREFLIGHT=/tmp/preflight /usr/bin/python3 spf/testdata/pyspf-diff.py SEED N
#
# It generates N random policies (includes, redirects, a/mx/exists/ptr with
# and without addresses, macros, syntax errors, several records), serves
# them to pyspf through its DNSLookup hook and to preflight as a zone file,
# and prints the cases whose results differ. SHOW=n prints n of them,
# ZONES=1 with their zones. Known differences (pyspf quirks, see the spf
# package doc): it counts redirect= when parsing a record rather than when
# evaluating it, and rejects include: of a record's own domain anywhere.
import random, socket, json, subprocess, sys, os
import spf

PREFLIGHT = os.environ.get('PREFLIGHT', 'preflight')
ZONE = os.environ.get('ZONE', '/tmp/pyspf-diff.zone')
rnd = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
N = int(sys.argv[2]) if len(sys.argv) > 2 else 200

def gen_case():
    names = [f"d{i}.example" for i in range(8)]
    hosts = [f"h{i}.example" for i in range(6)]
    zone = {}  # name -> list of (type, value)
    def add(n, t, v): zone.setdefault(n, []).append((t, v))
    v4 = [f"192.0.2.{i}" for i in range(1, 9)] + [f"198.51.100.{i}" for i in range(1, 5)]
    v6 = [f"2001:db8::{i:x}" for i in range(1, 9)]
    for h in hosts:
        r = rnd.random()
        if r < 0.6: add(h, 'A', rnd.choice(v4))
        if r > 0.3 and r < 0.9: add(h, 'AAAA', rnd.choice(v6))
        if r >= 0.9: add(h, 'TXT', 'hello')
    def term(self_name):
        q = rnd.choice(['', '', '', '-', '~', '?', '+'])
        k = rnd.random()
        if k < 0.15: return q + 'ip4:' + rnd.choice(v4) + rnd.choice(['', '', '/24', '/31'])
        if k < 0.25: return q + 'ip6:' + rnd.choice(v6) + rnd.choice(['', '', '/64', '/126'])
        if k < 0.40: return q + 'a' + rnd.choice(['', ':' + rnd.choice(hosts), ':' + rnd.choice(hosts), ':missing.example']) + rnd.choice(['', '', '/24', '//64', '/24//64'])
        if k < 0.52: return q + 'mx' + rnd.choice(['', ':' + rnd.choice(names)]) + rnd.choice(['', '', '/24'])
        if k < 0.70: return q + 'include:' + rnd.choice(names + ['missing.example'])
        if k < 0.76: return q + 'exists:' + rnd.choice(['%{i}.bl.example', '%{ir}.%{v}.rbl.example', rnd.choice(hosts), '%{l}.u.example', '%{l1r.}.u.example', '%{o}.x.example', '%{h}.x.example', '%{d2}.x.example'])
        if k < 0.80: return q + 'ptr' + rnd.choice(['', ':example'])
        if k < 0.82: return rnd.choice(['bogus', 'a:x', 'ip4:1.2.3.4/33', 'exp=', 'foo=bar'])
        return q + 'all'
    for n in names:
        r = rnd.random()
        if r < 0.85:
            terms = [term(n) for _ in range(rnd.randint(0, 5))]
            if rnd.random() < 0.25: terms.append('redirect=' + rnd.choice(names + ['missing.example']))
            if rnd.random() < 0.15: terms.append('exp=why.example')
            add(n, 'TXT', 'v=spf1 ' + ' '.join(terms))
            if rnd.random() < 0.04: add(n, 'TXT', 'v=spf1 -all ' + n)
        if rnd.random() < 0.5:
            for i in range(rnd.randint(1, 3)):
                add(n, 'MX', (i * 10, rnd.choice(hosts + ['nohost.example'])))
    add('why.example', 'TXT', 'not allowed: %{i} for %{d}')
    for ip in v4[:4]:
        add('.'.join(reversed(ip.split('.'))) + '.bl.example', 'A', '127.0.0.2')
    add('u.u.example', 'A', '127.0.0.2')
    add('a.u.example', 'A', '127.0.0.2')
    add('first.u.example', 'A', '127.0.0.2')
    for n in names: add(n + '.x.example', 'A', '127.0.0.2')
    for ip4 in v4[:6]: add('.'.join(reversed(ip4.split('.'))) + '.in-addr.rbl.example', 'A', '127.0.0.2')
    # PTR for a few v4
    for ip in v4[:6]:
        add('.'.join(reversed(ip.split('.'))) + '.in-addr.arpa', 'PTR', rnd.choice(hosts))
    dom = rnd.choice(names)
    ip = rnd.choice(v4 + v6 + ['203.0.113.9', '2001:db8:ffff::1'])
    local = rnd.choice(['u', 'postmaster', 'x', 'a.b', 'first.last', 'x-y'])
    return zone, dom, ip, local

def pyspf_check(zone, dom, ip, local):
    def lookup(name, qtype, strict=True, timeout=None):
        name = name.lower().rstrip('.')
        out = []
        for t, v in zone.get(name, []):
            if t != qtype: continue
            if t == 'AAAA': v = bytes(socket.inet_pton(socket.AF_INET6, v))
            elif t == 'TXT': v = (v.encode(),)
            out.append(((name, t), v))
        return out
    spf.DNSLookup = lookup
    if os.environ.get('MODE') == 'helo':
        q = spf.query(i=ip, s='', h=dom, strict=True)
    else:
        q = spf.query(i=ip, s=f"{local}@{dom}", h='helo.example', strict=True)
    r = q.check()
    return r[0], r[2]

def zonefile(zone):
    lines = []
    for n, rrs in zone.items():
        for t, v in rrs:
            if t == 'TXT': lines.append(f'{n}. 60 IN TXT "{v}"')
            elif t == 'MX': lines.append(f'{n}. 60 IN MX {v[0]} {v[1]}.')
            elif t == 'PTR': lines.append(f'{n}. 60 IN PTR {v}.')
            else: lines.append(f'{n}. 60 IN {t} {v}')
    return '\n'.join(lines) + '\n'

agree = 0; dis = []
for i in range(N):
    zone, dom, ip, local = gen_case()
    try:
        pr, pexp = pyspf_check(zone, dom, ip, local)
    except Exception as e:
        pr, pexp = 'EXC:' + repr(e), ''
    if pr == 'ambiguous': pr = 'neutral'
    with open(ZONE, 'w') as f: f.write(zonefile(zone))
    if os.environ.get('MODE') == 'helo':
        args = ['--sender', '<>', '--helo', dom]
    else:
        args = ['--sender', f'{local}@{dom}', '--helo', 'helo.example']
    out = subprocess.run([PREFLIGHT, 'spf', '--zone', ZONE, '--format', 'json', dom, ip] + args, capture_output=True, text=True)
    try:
        ours = json.loads(out.stdout.splitlines()[0])
        orr = ours['result']
    except Exception:
        orr = 'CLIERR ' + out.stderr.strip()
        ours = {}
    if orr == pr:
        agree += 1
    else:
        dis.append((i, dom, ip, pr, orr, ours.get('error', '') + ' || py: ' + str(pexp), zonefile(zone)))
print(f"agree {agree}/{N}")
for d in dis[:int(os.environ.get('SHOW', '5'))]:
    print('----', d[0], d[1], d[2], 'pyspf=', d[3], 'ours=', d[4], d[5])
    if os.environ.get("ZONES"): print(d[6])
