"""python3 -m marsad.dask on a LocalCluster of 2 worker processes on
loopback: the seeds and the examples, cut into several tasks, give the
stories JSON `marsad analyze` gives on one machine; bad arguments exit 2
with a message. Run by tests/cli/python.sh; prints TAP lines."""
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from test_marsad import Tap, SHARED, BIN, TMP, EXAMPLES, SEEDS  # noqa: E402


def dask_run(*args):
    return subprocess.run([sys.executable, '-m', 'marsad.dask'] + list(args),
                          capture_output=True, timeout=300)


class Dask(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise unittest.SkipTest('Dask distributed is not installed '
                                    '(Debian package python3-distributed)')
        if not os.path.isdir(SEEDS):
            raise unittest.SkipTest('%s is missing' % SEEDS)
        cls.dir = tempfile.mkdtemp(dir=TMP)

    def stories(self, db):
        p = subprocess.run([BIN, 'stories', '--db', db, '--json'],
                           capture_output=True)
        self.assertEqual(p.returncode, 0)
        return p.stdout.decode('utf-8')

    def test_same_stories_as_one_machine(self):
        one = os.path.join(self.dir, 'one.db')
        p = subprocess.run([BIN, 'analyze', '--db', one, SEEDS, EXAMPLES],
                           capture_output=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        many = os.path.join(self.dir, 'many.db')
        p = dask_run('--local', '2', '--task-bytes', '3000', '--json',
                     '--db', many, SEEDS, EXAMPLES)
        err = p.stderr.decode('utf-8', 'replace')
        self.assertEqual(p.returncode, 0, err[-2000:])
        self.assertRegex(err, r'in [3-9] tasks on 2 workers')
        import json
        summary = json.loads(p.stdout.decode('utf-8'))
        self.assertEqual(summary['extracted'], 0)  # the workers did it
        want = self.stories(one)
        self.assertGreater(want.count('\n'), 3)
        self.assertEqual(self.stories(many), want)

    def test_missing_input(self):
        p = dask_run('--local', '1', '--db', os.path.join(self.dir, 'x.db'),
                     os.path.join(self.dir, 'no-such-folder'))
        self.assertEqual(p.returncode, 2)
        self.assertIn('no-such-folder', p.stderr.decode('utf-8'))

    def test_usage(self):
        p = dask_run('--db', 'x.db', 'p')
        self.assertEqual(p.returncode, 2)
        self.assertIn('--scheduler', p.stderr.decode('utf-8'))


if __name__ == '__main__':
    runner = unittest.TextTestRunner(resultclass=Tap, stream=open(os.devnull, 'w'))
    res = runner.run(unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__]))
    sys.exit(0 if res.wasSuccessful() and not res.skipped else 1)
