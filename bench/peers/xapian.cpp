/*
 * xapian.cpp: the Xapian peer of `make bench-peers` (not part of marsad).
 *
 *   peer_xapian STORE QUERIES INDEX_DIR
 *
 * Indexes every report of the marsad store STORE (the same bytes marsad
 * indexes) with Xapian's TermGenerator and its Arabic (Snowball) stemmer,
 * the title with weight 2 (wdf 2 per occurrence, as marsad's bm25(2.0,
 * 1.0)), positions kept for phrases, into a new glass database INDEX_DIR,
 * compacted after the build as a finished index is; then runs each line of
 * QUERIES (QueryParser: AND between words, "phrases", OR, -exclusion,
 * prefix*, stemmed as indexed), top 10 by BM25 (Xapian's default weight),
 * 5 runs after a warm-up, and prints one line of figures (common.h). The
 * hits are exact (check_at_least the whole database), so Xapian cannot
 * stop early: the same total as marsad and Lucene++ count.
 */
#include <xapian.h>

#include "common.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: peer_xapian STORE QUERIES INDEX_DIR\n");
        return 2;
    }
    std::vector<peers::report> reps = peers::read_store(argv[1]);
    std::vector<std::string> qs = peers::read_queries(argv[2]);
    std::string dir = argv[3];
    try {
        Xapian::Stem stem;
        const char *note = "BM25, Snowball Arabic stemmer";
        try {
            stem = Xapian::Stem("arabic");
        } catch (const Xapian::Error &) {
            note = "BM25, no Arabic stemmer in this Xapian";
        }
        double c0 = peers::cpu_s(), w0 = peers::wall_s();
        {
            Xapian::WritableDatabase db(dir + ".build", Xapian::DB_CREATE_OR_OVERWRITE);
            Xapian::TermGenerator tg;
            tg.set_stemmer(stem);
            tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL);
            for (const peers::report &r : reps) {
                Xapian::Document d;
                tg.set_document(d);
                tg.index_text(r.title, 2);
                tg.increase_termpos();
                tg.index_text(r.text);
                d.set_data(std::to_string(r.n));
                db.add_document(d);
            }
            db.commit();
            db.compact(dir, Xapian::DBCOMPACT_SINGLE_FILE);
        }
        double bc = peers::cpu_s() - c0, bw = peers::wall_s() - w0;
        double bytes = peers::dir_bytes(dir);
        if (bytes == 0) {
            struct stat st;
            if (stat(dir.c_str(), &st) == 0)
                bytes = (double)st.st_size;
        }

        Xapian::Database db(dir);
        Xapian::QueryParser qp;
        qp.set_stemmer(stem);
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL);
        qp.set_database(db);
        qp.set_default_op(Xapian::Query::OP_AND);
        unsigned flags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                         Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD;
        Xapian::Enquire enq(db);
        Xapian::doccount all = db.get_doccount();
        peers::run_queries(
            "xapian", qs,
            [&](const std::string &q) -> size_t {
                try {
                    enq.set_query(qp.parse_query(q, flags));
                    Xapian::MSet m = enq.get_mset(0, 10, all);
                    for (Xapian::MSetIterator i = m.begin(); i != m.end(); ++i)
                        (void)i.get_document().get_data(); /* the row ids */
                    return m.get_matches_estimated();
                } catch (const Xapian::Error &) {
                    return 0;
                }
            },
            bc, bw, bytes, note);
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "xapian: %s\n", e.get_description().c_str());
        return 1;
    }
    return 0;
}
