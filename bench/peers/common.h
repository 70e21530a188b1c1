/*
 * common.h: what the C++ peers of `make bench-peers` share (bench/peers/,
 * not part of marsad): reading the reports of a marsad store (the same
 * bytes marsad indexes), reading the queries, clocks, and the one line of
 * figures every peer prints, so bench/peers.sh can set them side by side.
 */
#ifndef MARSAD_BENCH_PEERS_COMMON_H
#define MARSAD_BENCH_PEERS_COMMON_H

#include <sqlite3.h>
#include <sys/stat.h>
#include <dirent.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace peers {

struct report {
    long long n;
    std::string title, text;
};

inline double cpu_s()
{
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

inline double wall_s()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Every report of the store (rowid, title, text), as marsad indexes them. */
inline std::vector<report> read_store(const char *path)
{
    std::vector<report> out;
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "peer: cannot open the store %s\n", path);
        std::exit(2);
    }
    sqlite3_stmt *s = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT n, coalesce(title, ''), text FROM reports ORDER BY n",
                           -1, &s, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "peer: %s is not a marsad store\n", path);
        std::exit(2);
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
        report r;
        r.n = sqlite3_column_int64(s, 0);
        r.title.assign((const char *)sqlite3_column_text(s, 1),
                       (size_t)sqlite3_column_bytes(s, 1));
        r.text.assign((const char *)sqlite3_column_text(s, 2),
                      (size_t)sqlite3_column_bytes(s, 2));
        out.push_back(std::move(r));
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
}

/* The queries of FILE: one a line, '#' lines and empty ones skipped. */
inline std::vector<std::string> read_queries(const char *path)
{
    std::vector<std::string> q;
    std::ifstream in(path);
    if (!in) {
        std::fprintf(stderr, "peer: cannot read the queries %s\n", path);
        std::exit(2);
    }
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.pop_back();
        if (!line.empty() && line[0] != '#')
            q.push_back(line);
    }
    return q;
}

/* Bytes of the files under dir (an index directory). */
inline double dir_bytes(const std::string &dir)
{
    double sum = 0;
    DIR *d = opendir(dir.c_str());
    if (!d)
        return 0;
    while (dirent *e = readdir(d)) {
        std::string name = e->d_name;
        if (name == "." || name == "..")
            continue;
        std::string p = dir + "/" + name;
        struct stat st;
        if (stat(p.c_str(), &st) != 0)
            continue;
        sum += S_ISDIR(st.st_mode) ? dir_bytes(p) : (double)st.st_size;
    }
    closedir(d);
    return sum;
}

inline double pct(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    size_t i = (size_t)((double)v.size() * p); /* as marsad search --stats */
    return v[i < v.size() ? i : v.size() - 1];
}

/* Runs every query RUNS times after one warm-up pass (as `marsad search
 * --stats` does); one(q) answers query q and returns its hits. Prints
 * the line bench/peers.sh reads:
 *   NAME: build S s cpu (W s wall), index B bytes, 50 queries x 5 runs,
 *   top 10: cpu p50 X µs p95 Y µs p99 Z µs (wall p50 ...), hits H */
inline void run_queries(const char *name, const std::vector<std::string> &q,
                        const std::function<size_t(const std::string &)> &one,
                        double build_cpu, double build_wall, double bytes,
                        const char *note)
{
    const int RUNS = 5;
    std::vector<double> cpu, wall;
    size_t hits = 0;
    for (int pass = 0; pass <= RUNS; pass++)
        for (const std::string &s : q) {
            double c0 = cpu_s(), w0 = wall_s();
            size_t h = one(s);
            double c1 = cpu_s(), w1 = wall_s();
            if (pass == 0)
                hits += h;
            else {
                cpu.push_back((c1 - c0) * 1e6);
                wall.push_back((w1 - w0) * 1e6);
            }
        }
    std::printf("%s: build %.2f s cpu (%.2f s wall), index %.0f bytes, %zu queries x %d runs, "
                "top 10: cpu p50 %.0f us p95 %.0f us p99 %.0f us (wall p50 %.0f us p99 %.0f us), "
                "hits %zu%s%s\n",
                name, build_cpu, build_wall, bytes, q.size(), RUNS, pct(cpu, 0.5),
                pct(cpu, 0.95), pct(cpu, 0.99), pct(wall, 0.5), pct(wall, 0.99), hits,
                note && *note ? "; " : "", note ? note : "");
}

} // namespace peers

#endif
