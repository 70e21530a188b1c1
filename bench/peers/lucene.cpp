/*
 * lucene.cpp: the Lucene++ peer of `make bench-peers` (not part of marsad).
 *
 *   peer_lucene STORE QUERIES INDEX_DIR
 *
 * Indexes every report of the marsad store STORE (title and text, the same
 * bytes marsad indexes) with Lucene++'s ArabicAnalyzer (normalisation and
 * light stemming; no stop words, so the same words are indexed as marsad
 * indexes), fields not stored, into INDEX_DIR (emptied first), optimised to
 * one segment as a finished index is; then runs each line of QUERIES as a
 * query (MultiFieldQueryParser over title^2 and text, AND between words,
 * "phrases", OR, -exclusion, prefix*), top 10, 5 runs after a warm-up, and
 * prints one line of figures (common.h). Lucene++ 3.0 has no BM25: its
 * scoring is the classic tf-idf (DefaultSimilarity).
 */
#include <lucene++/LuceneHeaders.h>
#include <lucene++/ArabicAnalyzer.h>
#include <lucene++/MultiFieldQueryParser.h>

#include "common.h"

using namespace Lucene;

int main(int argc, char **argv)
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: peer_lucene STORE QUERIES INDEX_DIR\n");
        return 2;
    }
    std::vector<peers::report> reps = peers::read_store(argv[1]);
    std::vector<std::string> qs = peers::read_queries(argv[2]);
    std::string dir = argv[3];
    try {
        HashSet<String> nostop = HashSet<String>::newInstance();
        AnalyzerPtr an = newLucene<ArabicAnalyzer>(LuceneVersion::LUCENE_CURRENT, nostop);
        double c0 = peers::cpu_s(), w0 = peers::wall_s();
        DirectoryPtr fs = FSDirectory::open(StringUtils::toUnicode(dir));
        IndexWriterPtr w = newLucene<IndexWriter>(fs, an, true,
                                                  IndexWriter::MaxFieldLengthUNLIMITED);
        w->setRAMBufferSizeMB(64);
        for (const peers::report &r : reps) {
            DocumentPtr d = newLucene<Document>();
            d->add(newLucene<Field>(L"n", StringUtils::toString(r.n), Field::STORE_YES,
                                    Field::INDEX_NOT_ANALYZED_NO_NORMS));
            d->add(newLucene<Field>(L"title", StringUtils::toUnicode(r.title),
                                    Field::STORE_NO, Field::INDEX_ANALYZED));
            d->add(newLucene<Field>(L"text", StringUtils::toUnicode(r.text),
                                    Field::STORE_NO, Field::INDEX_ANALYZED));
            w->addDocument(d);
        }
        w->optimize();
        w->close();
        double bc = peers::cpu_s() - c0, bw = peers::wall_s() - w0;
        double bytes = peers::dir_bytes(dir);

        IndexSearcherPtr se = newLucene<IndexSearcher>(fs, true);
        Collection<String> fields = newCollection<String>(L"title", L"text");
        MapStringDouble boosts = MapStringDouble::newInstance();
        boosts.put(L"title", 2.0);
        boosts.put(L"text", 1.0);
        QueryParserPtr qp =
            newLucene<MultiFieldQueryParser>(LuceneVersion::LUCENE_CURRENT, fields, an, boosts);
        qp->setDefaultOperator(QueryParser::AND_OPERATOR);
        size_t bad = 0;
        peers::run_queries(
            "lucene++", qs,
            [&](const std::string &q) -> size_t {
                try {
                    QueryPtr query = qp->parse(StringUtils::toUnicode(q));
                    TopDocsPtr top = se->search(query, 10);
                    for (int32_t i = 0; i < top->scoreDocs.size(); i++)
                        se->doc(top->scoreDocs[i]->doc); /* the row ids, as a hit needs */
                    return (size_t)top->totalHits;
                } catch (LuceneException &) {
                    bad++;
                    return 0;
                }
            },
            bc, bw, bytes, "tf-idf (no BM25 in Lucene++ 3.0), ArabicAnalyzer without stop words");
        if (bad)
            std::fprintf(stderr, "lucene++: %zu query runs failed to parse\n", bad);
        se->close();
    } catch (LuceneException &e) {
        std::fprintf(stderr, "lucene++: %ls\n", e.getError().c_str());
        return 1;
    }
    return 0;
}
