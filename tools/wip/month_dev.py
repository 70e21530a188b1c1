import json, os, sqlite3, subprocess, sys, tempfile, glob, datetime
sys.path.insert(0, '/work/wt/stories2/tools')
from score_stories import bcubed_f1
S = '/work/shared'; marsad = '/work/wt/stories2/build/marsad'
gold = {}
for l in open(S + '/gold/ant-stories-dev.jsonl'):
    if l.strip():
        r = json.loads(l); gold[r['id']] = r['story']
tmp = tempfile.mkdtemp(dir='/tmp/s2tmp'); db = tmp + '/m.db'
files = sorted(glob.glob(S + '/corpus/ant-multisource/jsonl/*2018-04.jsonl'))
subprocess.run(['nice', marsad, 'analyze', '--db', db] + files, capture_output=True)
p = subprocess.run([marsad, 'stories', '--db', db, '--json'], capture_output=True)
stories = [json.loads(l) for l in p.stdout.decode().splitlines() if l.strip()]
c = sqlite3.connect(db)
src = {i: (s, pub) for i, s, pub in c.execute('select id, source_id, published from reports')}
pred = {}; long_n = long_r = 0; biggest = 0
for s in stories:
    ids = [r['id'] if isinstance(r, dict) else r for r in s.get('reports', [])]
    days = sorted(src[i][1][:10] for i in ids if src.get(i) and src[i][1])
    for i in ids:
        cid = src.get(i, (None,))[0]
        if cid in gold: pred[cid] = s['id']
    if days:
        span = (datetime.date.fromisoformat(days[-1]) - datetime.date.fromisoformat(days[0])).days
        if span > 7: long_n += 1; long_r += len(ids)
    biggest = max(biggest, len(ids))
ids = sorted(i for i in gold if i in pred)
# exact duplicates stored once: reports missing stand alone
allids = sorted(gold)
by_text = {}
for f in files:
    for l in open(f):
        if l.strip():
            r = json.loads(l)
            if r.get('id') in gold: by_text.setdefault(r.get('text', ''), []).append(r['id'])
for same in by_text.values():
    got = [pred[i] for i in same if i in pred]
    for i in same:
        if i not in pred and got: pred[i] = got[0]
for i in allids: pred.setdefault(i, 'alone:' + i)
def pr(gold, pred, ids):
    bg, bp = {}, {}
    for i in ids:
        bg.setdefault(gold[i], set()).add(i); bp.setdefault(pred[i], set()).add(i)
    P = sum(len(bg[gold[i]] & bp[pred[i]]) / len(bp[pred[i]]) for i in ids) / len(ids)
    R = sum(len(bg[gold[i]] & bp[pred[i]]) / len(bg[gold[i]]) for i in ids) / len(ids)
    return 'P %.3f R %.3f' % (P, R)
print(pr(gold, pred, allids), end=' ')
print('month dev F1 %.3f  stories>7d %d holding %d  largest %d  (%d/%d dev found)' % (bcubed_f1(gold, pred, allids), long_n, long_r, biggest, len(ids), len(allids)))
import shutil; shutil.rmtree(tmp)
