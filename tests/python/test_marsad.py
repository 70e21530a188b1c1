"""The Python binding (python/marsad) on the seeds and the examples:
facts of one text, a store analysed through the library, stories, one
story, search, reuse, reports from memory, and errors as exceptions.
Run by tests/cli/python.sh (make check), which sets MARSAD_LIB to the
library under test and MARSAD_SHARED to ../shared; prints TAP lines."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import marsad

SHARED = os.environ.get('MARSAD_SHARED', '../shared')
BIN = os.environ.get('MARSAD_BIN')
TMP = os.environ.get('MARSAD_TMP', tempfile.gettempdir())
SEEDS = os.path.join(SHARED, 'seeds')
EXAMPLES = os.path.join(os.path.dirname(__file__), '..', '..', 'examples')


def cli(*args):
    p = subprocess.run([BIN] + list(args), capture_output=True)
    return p.returncode, p.stdout.decode('utf-8')


class Facts(unittest.TestCase):
    def test_figure_value(self):
        f = marsad.facts('قتل 5 أشخاص في قصف على البلدة')
        self.assertEqual(f['schema'], 'marsad/2')
        fig = f['figures'][0]
        self.assertEqual(fig['value'], {'min': 5, 'max': 5})
        self.assertEqual(fig['event'], 'killed')

    def test_offsets_are_utf8_bytes(self):
        text = 'قالت وزارة الصحة إن 12 شخصا أصيبوا'
        raw = text.encode('utf-8')
        for fig in marsad.facts(text)['figures']:
            self.assertEqual(raw[fig['start']:fig['end']].decode('utf-8'),
                             fig['text'])

    def test_published_resolves_relative_dates(self):
        f = marsad.facts('قتل 3 أشخاص أمس الثلاثاء', published='2019-02-20')
        values = [d.get('value') for d in f['dates']]
        self.assertIn('2019-02-19', values)

    def test_same_as_cli(self):
        text = 'أعلن المرصد السوري مقتل 630 مدنيا بينهم 209 أطفال'
        path = os.path.join(TMP, 'py-facts.txt')
        with open(path, 'w', encoding='utf-8') as fh:
            fh.write(text)
        rc, out = cli('facts', '--json', path)
        self.assertEqual(rc, 0)
        import json
        want = json.loads(out.splitlines()[0])
        got = marsad.facts(text)
        self.assertEqual([x['value'] for x in got['figures']],
                         [x['value'] for x in want['figures']])

    def test_bad_argument(self):
        with self.assertRaises(marsad.ArgumentError):
            marsad.facts(None)


class StoreTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.isdir(SEEDS):
            raise unittest.SkipTest('%s is missing (the shared seeds)' % SEEDS)
        cls.dir = tempfile.mkdtemp(dir=TMP)
        cls.db = os.path.join(cls.dir, 'py.db')
        cls.seen = []
        with marsad.Store(cls.db) as st:
            cls.summary = st.analyze([SEEDS, EXAMPLES],
                                     progress=lambda *a: cls.seen.append(a))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_summary(self):
        s = self.summary
        self.assertEqual(s['reports'], s['extracted'])
        self.assertGreaterEqual(s['reports'], 13)
        self.assertGreater(s['stories'], 1)
        self.assertIn(self.seen[0][0], marsad.STAGES)

    def test_stories_match_cli(self):
        import json
        with marsad.Store(self.db) as st:
            mine = st.stories()
        rc, out = cli('stories', '--db', self.db, '--json')
        self.assertEqual(rc, 0)
        theirs = [json.loads(l) for l in out.splitlines() if l.strip()]
        self.assertEqual(mine, theirs)

    def test_story_and_not_found(self):
        with marsad.Store(self.db) as st:
            first = st.stories(limit=1)
            self.assertEqual(len(first), 1)
            one = st.story(first[0]['id'])
            self.assertEqual(one['id'], first[0]['id'])
            with self.assertRaises(marsad.NotFoundError) as cm:
                st.story('no-such-story')
            self.assertIn('no-such-story', str(cm.exception))

    def test_search(self):
        with marsad.Store(self.db) as st:
            hits = st.search('الباغوز')
            self.assertGreaterEqual(len(hits), 2)
            self.assertTrue(all(h['score'] >= hits[-1]['score'] for h in hits))
            self.assertIn('[', hits[0]['snippet'])
            with self.assertRaises(marsad.InputError):
                st.search('   ')

    def test_reuse(self):
        with marsad.Store(self.db) as st:
            pairs = st.reuse()
        self.assertGreaterEqual(len(pairs), 1)
        self.assertIn('passages', pairs[0])

    def test_put_then_analyze(self):
        db = os.path.join(self.dir, 'mem.db')
        with marsad.Store(db) as st:
            c = st.put([{'id': 'r1', 'text': 'قتل 4 أشخاص في انفجار بمدينة حلب',
                         'published': '2019-03-01', 'outlet': 'a'},
                        {'id': 'r2', 'text': 'قتل 4 أشخاص في انفجار بمدينة حلب',
                         'published': '2019-03-01', 'outlet': 'b'}])
            self.assertEqual(c['added'] + c['duplicates'], 2)
            s = st.analyze()
            self.assertEqual(s['extracted'], c['added'])
            with self.assertRaises(marsad.ArgumentError):
                st.put([{'title': 'no text'}])

    def test_closed_store(self):
        st = marsad.Store(os.path.join(self.dir, 'c.db'))
        st.close()
        with self.assertRaises(marsad.StoreError):
            st.stories()

    def test_not_a_store(self):
        bad = os.path.join(self.dir, 'not-a-store.db')
        with open(bad, 'wb') as fh:
            fh.write(b'this is not sqlite' * 100)
        with self.assertRaises(marsad.Error) as cm:
            marsad.Store(bad)
        self.assertIn('not-a-store.db', str(cm.exception))


class Tap(unittest.TextTestResult):
    n = 0

    def _line(self, test, ok, why=''):
        Tap.n += 1
        print('%sok %d - python: %s%s' % ('' if ok else 'not ', Tap.n,
                                           test.id().split('.', 1)[1], why))
        sys.stdout.flush()

    def addSuccess(self, test):
        super().addSuccess(test)
        self._line(test, True)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._line(test, False)
        print('# ' + self._exc_info_to_string(err, test).replace('\n', '\n# '))

    def addError(self, test, err):
        super().addError(test, err)
        self._line(test, False)
        print('# ' + self._exc_info_to_string(err, test).replace('\n', '\n# '))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._line(test, False, ' (skipped: %s)' % reason)


if __name__ == '__main__':
    runner = unittest.TextTestRunner(resultclass=Tap, stream=open(os.devnull, 'w'))
    res = runner.run(unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__]))
    sys.exit(0 if res.wasSuccessful() and not res.skipped else 1)
