"""marsad: the Arabic news ledger from Python.

A thin binding over libmarsad.so (include/marsad.h) with ctypes from the
standard library: no compiled extension, nothing to build at install.
`make python` records where the library it was built with lives
(python/marsad/_build.py); MARSAD_LIB overrides it.

    import marsad
    marsad.facts('قتل 5 أشخاص')['figures'][0]['value']
    with marsad.Store('marsad.db') as st:
        st.analyze(['reports/'])
        for s in st.stories():
            print(s['title'], len(s['reports']))

Errors are raised as marsad.Error (a subclass per kind: ArgumentError,
InputError, StoreError, LimitError, NotFoundError, ...) with marsad's own
message and, when known, the input and line it names.
"""
import ctypes
import json
import os

__all__ = ['facts', 'Store', 'Error', 'ArgumentError', 'InputError',
           'StoreError', 'LimitError', 'NotFoundError', 'version',
           'STAGES']

# ------------------------------------------------------------ the library


def _find_library():
    env = os.environ.get('MARSAD_LIB')
    if env:
        return env
    try:
        from . import _build  # written by `make python`
        if os.path.exists(_build.LIBRARY):
            return _build.LIBRARY
    except ImportError:
        pass
    here = os.path.dirname(os.path.abspath(__file__))
    guess = os.path.join(here, '..', '..', 'build', 'libmarsad.so')
    if os.path.exists(guess):
        return os.path.normpath(guess)
    import ctypes.util
    found = ctypes.util.find_library('marsad')
    if found:
        return found
    raise ImportError('marsad: libmarsad.so not found: run `make python`, '
                      'or set MARSAD_LIB to its path')


_lib = ctypes.CDLL(_find_library())

_c_char_p = ctypes.c_char_p
_size_t = ctypes.c_size_t
_status = ctypes.c_int


class _Error(ctypes.Structure):
    _fields_ = [('code', ctypes.c_int),
                ('input', ctypes.c_char * 256),
                ('line', ctypes.c_ulong),
                ('pos', _size_t),
                ('message', ctypes.c_char * 512)]


class _FactsOpts(ctypes.Structure):
    _fields_ = [('published', _c_char_p),
                ('outlet', _c_char_p),
                ('published_is_page', ctypes.c_int)]


class _ReportIn(ctypes.Structure):
    _fields_ = [('source_id', _c_char_p),
                ('title', _c_char_p),
                ('outlet', _c_char_p),
                ('url', _c_char_p),
                ('published', _c_char_p),
                ('text', ctypes.c_void_p),
                ('text_len', _size_t)]


class _IngestSummary(ctypes.Structure):
    _fields_ = [('added', _size_t),
                ('already_stored', _size_t),
                ('duplicates', _size_t),
                ('rejected', _size_t)]


STAGES = ('ingest', 'load', 'facts', 'clustering', 'stories', 'save')
_NSTAGES = len(STAGES)

_progress_fn = ctypes.CFUNCTYPE(None, ctypes.c_int, _size_t, _size_t,
                                ctypes.c_void_p)
_reject_fn = ctypes.CFUNCTYPE(None, ctypes.POINTER(_Error), ctypes.c_void_p)


class _AnalyzeOpts(ctypes.Structure):
    _fields_ = [('batch', _size_t),
                ('threads', ctypes.c_uint),
                ('progress', _progress_fn),
                ('on_reject', _reject_fn),
                ('ctx', ctypes.c_void_p),
                ('facts_only', ctypes.c_int)]


class _AnalyzeSummary(ctypes.Structure):
    _fields_ = [('ingest', _IngestSummary),
                ('reports', _size_t),
                ('extracted', _size_t),
                ('stories', _size_t),
                ('stories_kept', _size_t),
                ('claims', _size_t),
                ('conflicts', _size_t),
                ('secs', ctypes.c_double * _NSTAGES),
                ('rss_mb', ctypes.c_double * _NSTAGES),
                ('cpu_secs', ctypes.c_double * _NSTAGES),
                ('figures_capped', _size_t),
                ('lead_cpu_secs', ctypes.c_double * _NSTAGES)]


class _Hit(ctypes.Structure):
    _fields_ = [('id', _c_char_p), ('title', _c_char_p),
                ('outlet', _c_char_p), ('published', _c_char_p),
                ('snippet', _c_char_p), ('score', ctypes.c_double)]


class _Story(ctypes.Structure):
    _fields_ = [('id', _c_char_p), ('title', _c_char_p),
                ('first_seen', _c_char_p), ('last_seen', _c_char_p),
                ('reports', _size_t), ('claims', _size_t),
                ('conflicts', _size_t),
                ('json', ctypes.POINTER(ctypes.c_char)),
                ('json_len', _size_t)]


_hit_fn = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(_Hit), ctypes.c_void_p)
_story_fn = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(_Story),
                             ctypes.c_void_p)
_json_fn = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_char),
                            _size_t, ctypes.c_void_p)
_Err = ctypes.POINTER(_Error)
_Store = ctypes.c_void_p


def _proto(name, restype, *argtypes):
    f = getattr(_lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


_version = _proto('marsad_version', _c_char_p)
_strerror = _proto('marsad_strerror', _c_char_p, ctypes.c_int)
_free = _proto('marsad_free', None, ctypes.c_void_p)
_facts_json = _proto('marsad_facts_json', _status, ctypes.c_void_p, _size_t,
                     ctypes.POINTER(_FactsOpts),
                     ctypes.POINTER(ctypes.c_void_p),
                     ctypes.POINTER(_size_t), _Err)
_store_open = _proto('marsad_store_open', _status, _c_char_p,
                     ctypes.POINTER(_Store), _Err)
_store_close = _proto('marsad_store_close', None, _Store)
_store_put = _proto('marsad_store_put', _status, _Store,
                    ctypes.POINTER(_ReportIn), _size_t,
                    ctypes.POINTER(_IngestSummary), _Err)
_store_search = _proto('marsad_store_search', _status, _Store, _c_char_p,
                       _size_t, _hit_fn, ctypes.c_void_p, _Err)
_analyze = _proto('marsad_analyze', _status, _Store,
                  ctypes.POINTER(_c_char_p), _size_t,
                  ctypes.POINTER(_AnalyzeOpts),
                  ctypes.POINTER(_AnalyzeSummary), _Err)
_stories = _proto('marsad_stories', _status, _Store, _size_t, _story_fn,
                  ctypes.c_void_p, _Err)
_story_json = _proto('marsad_story_json', _status, _Store, _c_char_p,
                     ctypes.POINTER(ctypes.c_void_p), _Err)
_store_import = _proto('marsad_store_import', _status, _Store, _c_char_p,
                       ctypes.POINTER(_IngestSummary), _Err)
_reuse = _proto('marsad_reuse', _status, _Store, _c_char_p, _json_fn,
                ctypes.c_void_p, _Err)

# ------------------------------------------------------------ errors


class Error(Exception):
    """A marsad call failed. .code is the marsad_status, .input and .line
    name the input when the library knows it."""

    def __init__(self, message, code=0, input=None, line=0):
        super().__init__(message)
        self.code = code
        self.input = input
        self.line = line


class ArgumentError(Error, ValueError):
    """MARSAD_E_ARG: a missing or out-of-range argument."""


class InputError(Error, ValueError):
    """MARSAD_E_INPUT / MARSAD_E_UTF8: malformed input or query."""


class StoreError(Error):
    """MARSAD_E_DB / MARSAD_E_IO: the store or a file failed."""


class LimitError(Error, ValueError):
    """MARSAD_E_LIMIT: an input over a documented bound."""


class NotFoundError(Error, KeyError):
    """MARSAD_E_NOTFOUND: no such story or report."""

    def __str__(self):  # KeyError would quote the message
        return self.args[0] if self.args else ''


_KINDS = {1: MemoryError, 2: ArgumentError, 3: InputError, 4: InputError,
          5: StoreError, 6: StoreError, 7: LimitError, 8: NotFoundError}


def _raise(rc, err, what):
    msg = err.message.decode('utf-8', 'replace') or \
        _strerror(rc).decode('utf-8', 'replace')
    inp = err.input.decode('utf-8', 'replace') or None
    if inp and inp not in msg:
        msg = '%s: %s' % (inp, msg)
    if err.line:
        msg = '%s (line %d)' % (msg, err.line)
    kind = _KINDS.get(rc, Error)
    if kind is MemoryError:
        raise MemoryError('marsad: %s: %s' % (what, msg))
    raise kind('marsad: %s: %s' % (what, msg), rc, inp, err.line)


def _check(rc, err, what):
    if rc != 0:
        _raise(rc, err, what)


def _b(s):
    if s is None:
        return None
    if isinstance(s, bytes):
        return s
    if isinstance(s, os.PathLike):
        return os.fsencode(s)
    return str(s).encode('utf-8')


def _s(b):
    return None if b is None else b.decode('utf-8', 'replace')


def _take_string(p, n=None):
    """The library's owned string at p, as str, released with marsad_free."""
    if not p:
        return None
    try:
        raw = ctypes.string_at(p, n) if n is not None else ctypes.string_at(p)
    finally:
        _free(p)
    return raw.decode('utf-8')


def version():
    """The library's version string, e.g. '0.1.0'."""
    return _s(_version())

# ------------------------------------------------------------ facts


def facts(text, published=None, outlet=None, published_is_page=False):
    """The facts of one text as the dict `marsad facts --json` prints
    (schema marsad/2: report, figures, sources, dates, entities, quotes;
    offsets are byte offsets into text's UTF-8 bytes). published is the
    ISO date relative dates resolve against."""
    if not isinstance(text, (str, bytes)):
        raise ArgumentError('marsad: facts: text must be str or bytes',
                            2, None, 0)
    raw = _b(text)
    opts = _FactsOpts(_b(published), _b(outlet), 1 if published_is_page else 0)
    out = ctypes.c_void_p()
    n = _size_t()
    err = _Error()
    buf = ctypes.create_string_buffer(raw, len(raw))
    rc = _facts_json(buf, len(raw), ctypes.byref(opts), ctypes.byref(out),
                     ctypes.byref(n), ctypes.byref(err))
    _check(rc, err, 'facts')
    return json.loads(_take_string(out.value, n.value))

# ------------------------------------------------------------ the store


class Store:
    """A marsad store (a SQLite file), opened or created at path.

    Use it in a `with` block, or call close(). One Store per thread."""

    def __init__(self, path):
        self._st = _Store()
        self.path = os.fspath(path)
        err = _Error()
        rc = _store_open(_b(self.path), ctypes.byref(self._st),
                         ctypes.byref(err))
        _check(rc, err, 'open %s' % self.path)

    def close(self):
        if self._st:
            _store_close(self._st)
            self._st = _Store()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def _handle(self):
        if not self._st:
            raise StoreError('marsad: the store is closed', 5, self.path, 0)
        return self._st

    def put(self, reports):
        """Stores reports given as dicts (text required; id, title, outlet,
        url, published optional), as `marsad ingest` would; nothing is
        analysed until analyze(). Returns the counts {added,
        already_stored, duplicates, rejected}."""
        reports = list(reports)
        arr = (_ReportIn * max(1, len(reports)))()
        keep = []
        for i, r in enumerate(reports):
            if not isinstance(r, dict) or r.get('text') is None:
                raise ArgumentError('marsad: put: report %d has no text' % i,
                                    2, None, 0)
            text = _b(r['text'])
            buf = ctypes.create_string_buffer(text, len(text))
            keep.append(buf)
            arr[i] = _ReportIn(_b(r.get('id')), _b(r.get('title')),
                               _b(r.get('outlet') or r.get('source')),
                               _b(r.get('url')),
                               _b(r.get('published') or r.get('date')),
                               ctypes.cast(buf, ctypes.c_void_p), len(text))
        summ = _IngestSummary()
        err = _Error()
        rc = _store_put(self._handle(), arr, len(reports), ctypes.byref(summ),
                        ctypes.byref(err))
        _check(rc, err, 'put')
        return {k: getattr(summ, k) for k, _ in _IngestSummary._fields_}

    def analyze(self, paths=(), progress=None, on_reject=None, batch=0,
                threads=0, facts_only=False):
        """The main job (`marsad analyze`): reads paths (files, folders)
        into the store, extracts the facts of new reports, groups stories
        and reconciles their figures. progress(stage, done, total) and
        on_reject(Error) are optional callbacks. Returns the summary as a
        dict (ingest counts, reports, extracted, stories, stories_kept,
        claims, conflicts, seconds and rss_mb per stage). facts_only stops
        after the facts (a shard of the per-report work, for
        import_store)."""
        if isinstance(paths, (str, bytes, os.PathLike)):
            paths = [paths]
        enc = [_b(p) for p in paths]
        arr = (_c_char_p * max(1, len(enc)))(*enc)
        failure = []

        def prog(stage, done, total, ctx):
            try:
                progress(STAGES[stage], done, total)
            except BaseException as e:  # never unwind through C
                failure.append(e)

        def rej(perr, ctx):
            e = perr.contents
            msg = e.message.decode('utf-8', 'replace')
            inp = e.input.decode('utf-8', 'replace') or None
            try:
                on_reject(InputError(msg, e.code, inp, e.line))
            except BaseException as ex:
                failure.append(ex)

        opts = _AnalyzeOpts(batch, threads,
                            _progress_fn(prog) if progress else _progress_fn(),
                            _reject_fn(rej) if on_reject else _reject_fn(),
                            None, 1 if facts_only else 0)
        summ = _AnalyzeSummary()
        err = _Error()
        rc = _analyze(self._handle(), arr, len(enc), ctypes.byref(opts),
                      ctypes.byref(summ), ctypes.byref(err))
        if failure:
            raise failure[0]
        _check(rc, err, 'analyze')
        out = {k: getattr(summ, k) for k, _ in _AnalyzeSummary._fields_
               if k not in ('ingest', 'secs', 'rss_mb', 'cpu_secs',
                            'lead_cpu_secs')}
        out['ingest'] = {k: getattr(summ.ingest, k)
                         for k, _ in _IngestSummary._fields_}
        out['seconds'] = dict(zip(STAGES, list(summ.secs)))
        out['rss_mb'] = dict(zip(STAGES, list(summ.rss_mb)))
        out['cpu_seconds'] = dict(zip(STAGES, list(summ.cpu_secs)))
        out['lead_cpu_seconds'] = dict(zip(STAGES, list(summ.lead_cpu_secs)))
        return out

    def import_store(self, shard_path):
        """Merges the store at shard_path (another machine's per-report
        work: reports and, when made by this marsad, their facts) into this
        one, in one transaction. Returns the counts as put() does."""
        summ = _IngestSummary()
        err = _Error()
        rc = _store_import(self._handle(), _b(os.fspath(shard_path)),
                           ctypes.byref(summ), ctypes.byref(err))
        _check(rc, err, 'import %s' % os.fspath(shard_path))
        return {k: getattr(summ, k) for k, _ in _IngestSummary._fields_}

    def stories(self, limit=0):
        """The stored stories, largest first, as dicts (the objects
        `marsad stories --json` prints)."""
        got = []

        def each(p, ctx):
            s = p.contents
            got.append(json.loads(ctypes.string_at(s.json, s.json_len)
                                  .decode('utf-8')))
            return 0

        err = _Error()
        rc = _stories(self._handle(), limit, _story_fn(each), None,
                      ctypes.byref(err))
        _check(rc, err, 'stories')
        return got

    def story(self, id):
        """One story (by its id, or the id of one of its reports) as a
        dict. Raises NotFoundError when there is none."""
        out = ctypes.c_void_p()
        err = _Error()
        rc = _story_json(self._handle(), _b(id), ctypes.byref(out),
                         ctypes.byref(err))
        _check(rc, err, 'story %s' % id)
        return json.loads(_take_string(out.value))

    def search(self, query, limit=20):
        """Reports matching query (the `marsad search` syntax), best first:
        dicts with id, title, outlet, published, snippet (matches in
        [brackets]) and score (BM25, higher is better)."""
        hits = []

        def each(p, ctx):
            h = p.contents
            hits.append({'id': _s(h.id), 'title': _s(h.title),
                         'outlet': _s(h.outlet),
                         'published': _s(h.published),
                         'snippet': _s(h.snippet), 'score': h.score})
            return 0

        err = _Error()
        rc = _store_search(self._handle(), _b(query), limit, _hit_fn(each),
                           None, ctypes.byref(err))
        _check(rc, err, 'search')
        return hits

    def reuse(self, only=None):
        """Pairs of stored reports that share text, as dicts (a, b,
        similarity, near_duplicate, first, passages with byte spans);
        only= keeps the pairs with that report."""
        got = []

        def each(p, n, ctx):
            got.append(json.loads(ctypes.string_at(p, n).decode('utf-8')))
            return 0

        err = _Error()
        rc = _reuse(self._handle(), _b(only), _json_fn(each), None,
                    ctypes.byref(err))
        _check(rc, err, 'reuse')
        return got
