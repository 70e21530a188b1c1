#!/usr/bin/env python3
"""score_stories.py: B-cubed precision, recall and F1 of marsad's stories
against a story gold ({id, story} per line, corpus ids).

usage: score_stories.py [-v] MARSAD_BIN STORY_GOLD.jsonl CORPUS_JSONL_DIR
       score_stories.py MARSAD_BIN --seeds SEEDS_DIR SEEDS_PAIRS.md

The gold's reports are picked out of the corpus JSON Lines by id, analysed
into a scratch store with `marsad analyze`, and every stored report is
mapped back to its corpus id with `marsad show --json`. With --seeds the
reports are the seed files (as they are: no publication date) and the gold
is the "Stories" table of seeds-pairs.md (| S1 | 000, 003 | ...), each
report known by its file's three-digit prefix. Prints one line:
  stories B-cubed P X R Y F1 Z (N reports, G gold stories, M marsad stories)
With -v the errors go to stderr: each marsad story holding reports of two
gold stories or more (precision), each gold story spread over two marsad
stories or more (recall), and the F1 over each half of the gold stories
(split by a hash of the story's name), to check a change on the half it
was not tuned on.
Exit 0 when it ran, 2 on usage, 3 when marsad fails.
"""
import glob, json, os, re, subprocess, sys, tempfile, zlib


def die(msg, code):
    sys.stderr.write('score_stories.py: %s\n' % msg)
    sys.exit(code)


def seeds_gold(seeds, pairs):
    """{seed prefix: story} from the Stories table of seeds-pairs.md, and
    the seed files."""
    gold, in_stories = {}, False
    for line in open(pairs, encoding='utf-8'):
        if line.startswith('## '):
            in_stories = line.strip() == '## Stories'
            continue
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if in_stories and len(cells) >= 2 and re.fullmatch(r'S\d+', cells[0]):
            for k in re.findall(r'\d{3}', cells[1]):
                gold[k] = cells[0]
    files = sorted(glob.glob(os.path.join(seeds, '[0-9][0-9][0-9]_*.txt')))
    files = [f for f in files if os.path.basename(f)[:3] in gold]
    if not gold or not files:
        die('%s, %s: no seed stories found' % (seeds, pairs), 2)
    return gold, files


def analyze(marsad, inputs, tmp):
    db = os.path.join(tmp, 's.db')
    p = subprocess.run([marsad, 'analyze', '--db', db] + inputs, capture_output=True)
    if p.returncode not in (0, 1):
        die('marsad analyze failed (%d): %s' % (p.returncode, p.stderr.decode()[-400:]), 3)
    p = subprocess.run([marsad, 'stories', '--db', db, '--json'], capture_output=True)
    if p.returncode != 0:
        die('marsad stories failed (%d)' % p.returncode, 3)
    stories = [json.loads(l) for l in p.stdout.decode('utf-8').splitlines() if l.strip()]
    return db, stories


def shown(marsad, db, rid):
    q = subprocess.run([marsad, 'show', '--db', db, '--json', rid], capture_output=True)
    if q.returncode != 0:
        die('marsad show %s failed' % rid, 3)
    return json.loads(q.stdout.decode('utf-8').splitlines()[0])


def bcubed_f1(gold, pred, ids):
    by_g, by_p = {}, {}
    for i in ids:
        by_g.setdefault(gold[i], set()).add(i)
        by_p.setdefault(pred[i], set()).add(i)
    P = sum(len(by_g[gold[i]] & by_p[pred[i]]) / len(by_p[pred[i]]) for i in ids) / len(ids)
    R = sum(len(by_g[gold[i]] & by_p[pred[i]]) / len(by_g[gold[i]]) for i in ids) / len(ids)
    return 2 * P * R / (P + R) if P + R else 0.0


def errors(gold, pred, ids, titles):
    """The error analysis of -v, on stderr."""
    by_p, by_g = {}, {}
    for i in ids:
        by_p.setdefault(pred[i], []).append(i)
        by_g.setdefault(gold[i], []).append(i)
    w = sys.stderr.write
    w('== marsad stories holding several gold stories (precision errors)\n')
    for p, m in sorted(by_p.items(), key=lambda x: (-len(x[1]), x[0])):
        n = {}
        for i in m:
            n[gold[i]] = n.get(gold[i], 0) + 1
        if len(n) > 1:
            w('%4d  %s\n' % (len(m), ', '.join('%s %d' % (g, k) for g, k in
                                              sorted(n.items(), key=lambda x: (-x[1], x[0])))))
    w('== gold stories spread over several marsad stories (recall errors)\n')
    for g, m in sorted(by_g.items(), key=lambda x: (-len(x[1]), x[0])):
        n = {}
        for i in m:
            n.setdefault(pred[i], []).append(i)
        if len(n) > 1:
            parts = sorted(n.values(), key=lambda v: (-len(v), v[0]))
            w('%4d  %s: %s\n' % (len(m), g, ' + '.join(str(len(v)) for v in parts)))
            for v in parts[1:]:
                for i in v:
                    w('        %s  %s\n' % (i, titles.get(i, '')[:70]))
    for h in (0, 1):
        part = [i for i in ids if zlib.crc32(gold[i].encode('utf-8')) % 2 == h]
        if part:
            w('half %d: %d reports, B-cubed F1 %.3f\n' % (h, len(part), bcubed_f1(gold, pred, part)))


def bcubed(gold, pred, ids, nstories):
    by_g, by_p = {}, {}
    for i in ids:
        by_g.setdefault(gold[i], set()).add(i)
        by_p.setdefault(pred[i], set()).add(i)
    P = R = 0.0
    for i in ids:
        g, q = by_g[gold[i]], by_p[pred[i]]
        inter = len(g & q)
        P += inter / len(q)
        R += inter / len(g)
    P /= len(ids)
    R /= len(ids)
    F = 2 * P * R / (P + R) if P + R else 0.0
    print('stories B-cubed P %.3f R %.3f F1 %.3f (%d reports, %d gold stories, %d marsad stories)'
          % (P, R, F, len(ids), len(by_g), nstories))


def main_seeds(marsad, seeds, pairs):
    gold, files = seeds_gold(seeds, pairs)
    tmp = tempfile.mkdtemp(prefix='marsad-stories-')
    db, stories = analyze(marsad, files, tmp)
    pred = {}
    for s in stories:
        for rid in s.get('reports', []):
            rid = rid['id'] if isinstance(rid, dict) else rid
            k = os.path.basename(shown(marsad, db, rid).get('file') or '')[:3]
            if k in gold:
                pred[k] = s['id']
    ids = sorted(os.path.basename(f)[:3] for f in files)
    for k in ids:
        pred.setdefault(k, 'alone:' + k)
    bcubed(gold, pred, ids, len(stories))


def main(argv):
    verbose = len(argv) > 1 and argv[1] == '-v'
    if verbose:
        argv = argv[:1] + argv[2:]
    if len(argv) == 5 and argv[2] == '--seeds':
        return main_seeds(argv[1], argv[3], argv[4])
    if len(argv) != 4:
        die('usage: score_stories.py [-v] MARSAD_BIN STORY_GOLD.jsonl CORPUS_JSONL_DIR\n'
            '       score_stories.py MARSAD_BIN --seeds SEEDS_DIR SEEDS_PAIRS.md', 2)
    marsad, gold_path, corpus = argv[1:]
    gold, titles = {}, {}
    for line in open(gold_path, encoding='utf-8'):
        if line.strip():
            r = json.loads(line)
            gold[r['id']] = r['story']
            titles[r['id']] = r.get('title') or ''
    tmp = tempfile.mkdtemp(prefix='marsad-stories-')
    sel = os.path.join(tmp, 'sel.jsonl')
    seen = set()
    by_text = {}   # exact duplicates are stored once: they share its story
    with open(sel, 'w', encoding='utf-8') as out:
        for p in sorted(glob.glob(os.path.join(corpus, '*.jsonl'))):
            for line in open(p, encoding='utf-8'):
                if not line.strip():
                    continue
                r = json.loads(line)
                if r.get('id') in gold and r['id'] not in seen:
                    seen.add(r['id'])
                    by_text.setdefault(r.get('text', ''), []).append(r['id'])
                    out.write(line if line.endswith('\n') else line + '\n')
    if not seen:
        die('%s: none of the gold reports found' % corpus, 2)
    db, stories = analyze(marsad, [sel], tmp)
    pred = {}
    for s in stories:
        for rid in s.get('reports', []):
            rid = rid['id'] if isinstance(rid, dict) else rid
            cid = shown(marsad, db, rid).get('source_id')
            if cid in gold:
                pred[cid] = s['id']
    for same in by_text.values():
        got = [pred[i] for i in same if i in pred]
        for i in same:
            if i not in pred and got:
                pred[i] = got[0]
    # a gold report marsad put in no story stands alone
    for cid in seen:
        pred.setdefault(cid, 'alone:' + cid)
    bcubed(gold, pred, sorted(seen), len(stories))
    if verbose:
        errors(gold, pred, sorted(seen), titles)

if __name__ == '__main__':
    main(sys.argv)
