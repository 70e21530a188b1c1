"""python3 -m marsad.dask: marsad's main job over a Dask cluster.

    python3 -m marsad.dask (--scheduler ADDRESS | --local N) --db FILE PATH...

The per-report work (reading the inputs, extracting every report's facts)
runs as tasks on the cluster's workers: each task takes a batch of input
files (about --task-bytes of text, so that a task is well over 100 ms of
work), analyses them into a shard store of its own with facts only
(marsad_analyze, facts_only), and sends the shard back as bytes. The client
merges the shards into --db in the order of the inputs
(marsad_store_import), then runs the corpus steps there (near-duplicates,
passages, stories, claims, timeline, summary) with marsad_analyze, which
finds every report's facts already saved and extracts nothing.

Stories depend only on the set of reports, so the stories of --db are the
ones `marsad analyze --db FILE PATH...` gives on one machine.

Inputs are read by the workers: the paths must be visible to them (the same
files on a shared file system, or a LocalCluster). Exit status: 0 done, 1
some inputs were rejected (the rest analysed), 2 usage, 3 failure.
"""
import argparse
import os
import shutil
import sys
import tempfile
import time

import marsad

# Input files a task reads; folders are walked (regular files only, sorted)
# as marsad itself walks them.
_SUFFIXES = ('.txt', '.jsonl', '.json', '.gz', '.html', '.htm', '.xml',
             '.rss', '.atom', '.trec')


def input_files(paths):
    """Expands paths into (file, size) pairs in a deterministic order."""
    out = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    full = os.path.join(root, f)
                    if f.startswith('.') or not f.lower().endswith(_SUFFIXES):
                        continue
                    if os.path.isfile(full):  # no FIFO, socket or device
                        out.append((full, os.path.getsize(full)))
        elif os.path.isfile(p):
            out.append((p, os.path.getsize(p)))
        else:
            raise FileNotFoundError('%s: no such file or folder' % p)
    return out


def batches(files, task_bytes):
    """Groups files into batches of about task_bytes, in order."""
    cur, size, out = [], 0, []
    for f, n in files:
        cur.append(f)
        size += n
        if size >= task_bytes:
            out.append(cur)
            cur, size = [], 0
    if cur:
        out.append(cur)
    return out


def shard_task(files):
    """One task on a worker: the facts of a batch of files, as a shard
    store's bytes, with the counts and the rejected inputs."""
    d = tempfile.mkdtemp(prefix='marsad-shard-')
    try:
        db = os.path.join(d, 'shard.db')
        rejected = []
        t0 = time.monotonic()
        with marsad.Store(db) as st:
            s = st.analyze(files, facts_only=True, threads=1,
                           on_reject=lambda e: rejected.append(str(e)))
        with open(db, 'rb') as fh:
            data = fh.read()
        return {'db': data, 'reports': s['reports'],
                'extracted': s['extracted'], 'rejected': rejected,
                'seconds': time.monotonic() - t0}
    finally:
        shutil.rmtree(d, ignore_errors=True)


def run(client, db, paths, task_bytes, out=sys.stderr):
    """Analyses paths into the store db on the cluster behind client.
    Returns (summary of the final analyse, rejected inputs)."""
    files = input_files(paths)
    groups = batches(files, task_bytes)
    out.write('marsad.dask: %d inputs in %d tasks on %d workers\n'
              % (len(files), len(groups),
                 len(client.scheduler_info().get('workers', {}))))
    futures = client.map(shard_task, groups, pure=False)
    scratch = tempfile.mkdtemp(prefix='marsad-dask-',
                               dir=os.path.dirname(os.path.abspath(db)))
    rejected = []
    tty = hasattr(out, 'isatty') and out.isatty()
    try:
        with marsad.Store(db) as st:
            # merge in input order, whatever order the tasks end in
            for i, fut in enumerate(futures):
                r = fut.result()
                fut.release()
                path = os.path.join(scratch, 'shard-%06d.db' % i)
                with open(path, 'wb') as fh:
                    fh.write(r['db'])
                st.import_store(path)
                os.unlink(path)
                rejected.extend(r['rejected'])
                if tty:
                    out.write('\rmarsad.dask: shards merged %d/%d'
                              % (i + 1, len(groups)))
            if tty:
                out.write('\n')
            summary = st.analyze()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return summary, rejected


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog='python3 -m marsad.dask',
        description='marsad analyze over a Dask cluster: the per-report '
                    'work (reading, facts) on the workers, the corpus steps '
                    '(links, stories, claims) into one store.')
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument('--scheduler', metavar='ADDRESS',
                   help='a running Dask scheduler, e.g. tcp://10.0.0.1:8786')
    g.add_argument('--local', metavar='N', type=int,
                   help='start a local cluster of N worker processes on loopback')
    ap.add_argument('--db', required=True, help='the store to write (created when missing)')
    ap.add_argument('--task-bytes', type=int, default=4 << 20,
                    help='input bytes per task (default 4 MiB)')
    ap.add_argument('--json', action='store_true',
                    help='print the run summary as JSON on stdout')
    ap.add_argument('paths', nargs='+', metavar='PATH')
    a = ap.parse_args(argv)
    if a.local is not None and a.local < 1:
        ap.error('--local takes a number of workers >= 1')
    if a.task_bytes < 1:
        ap.error('--task-bytes takes a positive number')
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        sys.stderr.write('marsad.dask: Dask distributed is not installed '
                         '(Debian package python3-distributed)\n')
        return 3
    cluster = None
    try:
        if a.local is not None:
            cluster = LocalCluster(n_workers=a.local, threads_per_worker=1,
                                   processes=True, host='127.0.0.1',
                                   dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(a.scheduler)
        with client:
            summary, rejected = run(client, a.db, a.paths, a.task_bytes)
    except FileNotFoundError as e:
        sys.stderr.write('marsad.dask: %s\n' % e)
        return 2
    except marsad.Error as e:
        sys.stderr.write('%s\n' % e)
        return 3
    finally:
        if cluster is not None:
            cluster.close()
    for r in rejected:
        sys.stderr.write('marsad.dask: rejected: %s\n' % r)
    if a.json:
        import json
        print(json.dumps(summary, ensure_ascii=False))
    else:
        sys.stderr.write('marsad.dask: %d reports, %d stories, %d claims '
                         '(%d conflicts) in %s\n'
                         % (summary['reports'], summary['stories'],
                            summary['claims'], summary['conflicts'], a.db))
    return 1 if rejected else 0


if __name__ == '__main__':
    sys.exit(main())
