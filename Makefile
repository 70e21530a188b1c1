# marsad: GNU Makefile.
#
#   make            libmarsad.a, libmarsad.so and the marsad binary in build/
#   make demo       installs what it lacks, then runs the main job on examples/
#   make check      installs what it lacks, then every test under ASan+UBSan
#   make bench      speed and memory over ../shared/corpus (not a test)
#   make bench-peers    only marsad's search and MinHash beside Lucene++,
#                   Xapian and Go's minhash-lsh (bench/peers.sh; issue 15)
#   make bench-hostile  only the hostile inputs of issue 12 (20 MB report,
#                   200,000 figures, 100,000 near-identical reports)
#   make bench-scale    a store of SCALE_N (1,000,000) reports made from the
#                   real corpora: analyze and search, wall, CPU, memory, size
#   make eval       scores marsad against ../shared/gold (figures, claims,
#                   stories, entities) and ANERcorp
#   make fuzz       each libFuzzer target for FUZZ_SECONDS (60) seconds
#   make python     libmarsad.so for the Python package in python/marsad
#   make install PREFIX=/usr/local
#
# Objects go to $(BUILD) (build/ by default; `make check` uses build/check),
# so several builds of one tree do not meet.

BUILD   ?= build
PREFIX  ?= /usr/local
SHARED  ?= $(abspath ../shared)
CC      ?= cc
PKG_CONFIG ?= pkg-config
FUZZ_SECONDS ?= 60

# Libraries every build links, found through pkg-config.
PKGS := sqlite3 libxml-2.0 json-c zlib

WARN := -Wall -Wextra -pedantic -Wstrict-prototypes -Wmissing-prototypes \
        -Wconversion -Wsign-conversion -Wshadow -Wundef -Wcast-qual \
        -Wpointer-arith -Wformat=2 -Wno-unused-parameter
OPT  ?= -O2 -g
ifeq ($(SAN),1)
  OPT := -O1 -g -fno-omit-frame-pointer
  SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
endif
ifeq ($(WERROR),1)
  WARN += -Werror
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
# The server (src/serve/) is linked into the marsad binary only, so the
# library needs no HTTP server.
SERVE_CFLAGS := $(shell $(PKG_CONFIG) --cflags libmicrohttpd 2>/dev/null)
SERVE_LIBS   := $(shell $(PKG_CONFIG) --libs libmicrohttpd 2>/dev/null)
# The dashboard's chart library: Debian's libjs-chart.js, embedded at build
# time and served by marsad itself.
CHARTJS ?= /usr/share/javascript/chart.js/chart.min.js
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

CPPFLAGS := -Iinclude -Isrc -I$(BUILD)/gen -D_POSIX_C_SOURCE=200809L \
            -D_DEFAULT_SOURCE -DMARSAD_BUILDING
CFLAGS   := -std=c11 $(OPT) $(WARN) $(SANFLAGS) -fPIC -fvisibility=hidden \
            $(PKG_CFLAGS) $(SERVE_CFLAGS) $(EXTRA_CFLAGS)
LDFLAGS  := $(SANFLAGS) $(EXTRA_LDFLAGS)
LDLIBS   := $(PKG_LIBS) -lm -lpthread

# ---------------------------------------------------------------- sources
LIB_SRC := $(sort $(wildcard src/text/*.c src/extract/*.c src/ingest/*.c \
             src/link/*.c src/story/*.c src/store/*.c src/out/*.c \
             src/corpus/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c src/serve/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
WEB_SRC := $(sort $(wildcard web/*))

# Lexicons: every data/*.tsv but the Unicode table becomes lex_NAME.inc.
LEX_TSV := $(filter-out data/arabic_presentation.tsv,$(wildcard data/*.tsv))
GEN_INC := $(BUILD)/gen/presentation.inc \
           $(LEX_TSV:data/%.tsv=$(BUILD)/gen/lex_%.inc)

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

LIB_A  := $(BUILD)/libmarsad.a
LIB_SO := $(BUILD)/libmarsad.so
BIN    := $(BUILD)/marsad

.SECONDARY: $(GEN_INC)

.PHONY: link-model python all lib deps check check-build test demo bench bench-hostile bench-scale bench-peers bench-peers-run eval fuzz install \
        uninstall clean format lint check-valgrind model

all: $(LIB_A) $(LIB_SO) $(BIN)
	@echo "built $(BIN); run 'make check' to test it"

lib: $(LIB_A)

# ---------------------------------------------------------------- generated
$(BUILD)/tools/gen_presentation: tools/gen_presentation.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O1 -o $@ $<

$(BUILD)/gen/presentation.inc: data/arabic_presentation.tsv $(BUILD)/tools/gen_presentation
	@mkdir -p $(@D)
	$(BUILD)/tools/gen_presentation $< $@

GEN_TOOL_SRC := tools/gen_lexicon.c src/text/utf8.c src/text/normalize.c
$(BUILD)/tools/gen_lexicon: $(GEN_TOOL_SRC) src/text/text.h include/marsad.h $(BUILD)/gen/presentation.inc
	@mkdir -p $(@D)
	$(CC) -std=c11 -O1 -Iinclude -Isrc -I$(BUILD)/gen -D_POSIX_C_SOURCE=200809L -o $@ $(GEN_TOOL_SRC)

$(BUILD)/gen/lex_%.inc: data/%.tsv $(BUILD)/tools/gen_lexicon
	@mkdir -p $(@D)
	$(BUILD)/tools/gen_lexicon $* $< $@

$(BUILD)/tools/gen_assets: tools/gen_assets.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O1 -o $@ $<

# web/index.html is served at /, every other web/ file and Chart.js under
# /static/.
$(BUILD)/gen/web_assets.inc: $(WEB_SRC) $(CHARTJS) $(BUILD)/tools/gen_assets
	@mkdir -p $(@D)
	@test -f $(CHARTJS) || { echo "$(CHARTJS) is missing: apt-get install libjs-chart.js" >&2; exit 1; }
	$(BUILD)/tools/gen_assets $@ /=web/index.html \
	  $(foreach f,$(filter-out web/index.html,$(WEB_SRC)),/static/$(notdir $(f))=$(f)) \
	  /static/chart.min.js=$(CHARTJS)

$(BUILD)/obj/src/serve/assets.o: $(BUILD)/gen/web_assets.inc

# ---------------------------------------------------------------- library
$(BUILD)/obj/%.o: %.c | $(GEN_INC)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(LIB_A): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(LIB_SO): $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libmarsad.so.0 $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BIN): $(CLI_OBJ) $(LIB_A)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB_A) $(SERVE_LIBS) $(LDLIBS)

# ---------------------------------------------------------------- tests
$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(LIB_A) | $(GEN_INC)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/unit -std=c11 $(OPT) -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) \
	  $(SANFLAGS) $(PKG_CFLAGS) $(CMOCKA_CFLAGS) -o $@ $< $(LIB_A) $(LDFLAGS) \
	  $(CMOCKA_LIBS) $(LDLIBS)

# `make check`: install what is missing, then build with sanitizers and
# -Werror into build/check and run every test (tests/run.sh).
check: deps-check
	$(MAKE) --no-print-directory BUILD=build/check SAN=1 WERROR=1 test

deps-check:
	@sh scripts/deps.sh check

test: $(BIN) $(LIB_SO) $(UNIT_BIN)
	@MARSAD_BIN=$(abspath $(BIN)) MARSAD_SHARED=$(SHARED) \
	  MARSAD_BUILD=$(abspath $(BUILD)) sh tests/run.sh $(UNIT_BIN)

check-valgrind: deps-check
	$(MAKE) --no-print-directory BUILD=build/valgrind all $(UNIT_BIN:build/%=build/valgrind/%)
	@for t in build/valgrind/tests/test_*; do \
	  MARSAD_SHARED=$(SHARED) valgrind -q --leak-check=full --error-exitcode=1 $$t || exit 1; done

# ---------------------------------------------------------------- demo
demo: deps-demo
	$(MAKE) --no-print-directory all
	@sh scripts/demo.sh $(BIN)

deps-demo:
	@sh scripts/deps.sh build

# ---------------------------------------------------------------- model
# `make model` learns the name tagger's word clusters from unlabelled news
# (tools/gen_ner_clusters.c over ../shared/corpus/ant-multisource and
# saudinewsnet: src/extract/ner_clusters.inc), then trains the tagger
# (tools/train_ner.c) on ../shared/corpus/anercorp and writes
# src/extract/ner_weights.inc. Both are committed: a clone builds without
# ../shared. Each is rebuilt only when its inputs changed: the clusters
# when their generator, the tokeniser or the corpora did; the weights when
# the trainer, the feature code, the clusters, the entity rules or their
# lexicons (all in the trainer's archive) or ANERcorp did. The generator
# links the library without ner.o and ner_clusters.o, the objects that
# include the tables; the trainer without ner.o.
NER_WEIGHTS  := src/extract/ner_weights.inc
NER_CLUSTERS := src/extract/ner_clusters.inc
NER_CORPUS   := $(SHARED)/corpus/anercorp/ANERCorp.txt
NER_TEXTS    := $(sort $(wildcard $(SHARED)/corpus/ant-multisource/jsonl/*.jsonl \
                  $(SHARED)/corpus/saudinewsnet/jsonl/*.jsonl.gz))
TRAIN_LIB    := $(BUILD)/libmarsad-train.a
CLUSTER_LIB  := $(BUILD)/libmarsad-cluster.a

model: deps-demo
	$(MAKE) --no-print-directory MODEL=1 $(NER_CLUSTERS)
	$(MAKE) --no-print-directory MODEL=1 $(NER_WEIGHTS)

$(TRAIN_LIB): $(filter-out $(BUILD)/obj/src/extract/ner.o,$(LIB_OBJ))
	@rm -f $@
	ar rcs $@ $^

$(CLUSTER_LIB): $(filter-out $(BUILD)/obj/src/extract/ner.o $(BUILD)/obj/src/extract/ner_clusters.o,$(LIB_OBJ))
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/tools/train_ner: tools/train_ner.c src/extract/ner.h $(TRAIN_LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -std=c11 $(OPT) -Wall -Wextra $(PKG_CFLAGS) -o $@ $< $(TRAIN_LIB) $(LDLIBS)

$(BUILD)/tools/gen_ner_clusters: tools/gen_ner_clusters.c src/extract/ner.h $(CLUSTER_LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -std=c11 $(OPT) -Wall -Wextra $(PKG_CFLAGS) -o $@ $< $(CLUSTER_LIB) $(LDLIBS)

ifeq ($(MODEL),1)
$(NER_CLUSTERS): $(BUILD)/tools/gen_ner_clusters $(NER_TEXTS)
	$(BUILD)/tools/gen_ner_clusters --shared $(SHARED) --out $@

$(NER_WEIGHTS): $(BUILD)/tools/train_ner $(NER_CORPUS)
	$(BUILD)/tools/train_ner --shared $(SHARED) --out $@
endif

# `make link-model` trains the join decision of the story clustering
# (tools/train_link.c, docs/link.md) on ../shared/gold/ant-stories-dev.jsonl
# and writes src/link/link_weights.inc (committed: a clone builds without
# ../shared). Its inputs are the clustering's input as analyze gives it, for
# the dev reports and for ANT's April 2018 (tools/link_model.sh, remade when
# the gold, the corpus or the library but the clustering changed). The
# trainer and the marsad that writes those inputs link their own build of
# cluster.c without the table, so writing the table makes neither stale.
# Neither `make` nor `make check` retrains.
LINK_WEIGHTS := src/link/link_weights.inc
LINK_STATES  := $(BUILD)/linkmodel/dev.json
LINK_TRAIN_LIB := $(BUILD)/libmarsad-linktrain.a
LINK_TRAIN_BIN := $(BUILD)/tools/marsad-linktrain
LINK_INPUTS  := $(SHARED)/gold/ant-stories-dev.jsonl \
                $(wildcard $(SHARED)/corpus/ant-multisource/jsonl/*_2018-04.jsonl)

link-model: deps-demo
	$(MAKE) --no-print-directory LINKMODEL=1 $(LINK_WEIGHTS)

$(BUILD)/obj-linktrain/cluster.o: src/link/cluster.c src/link/link_internal.h src/link/link.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DMR_LINK_TRAINER $(CFLAGS) -c -o $@ $<

$(LINK_TRAIN_LIB): $(filter-out $(BUILD)/obj/src/link/cluster.o,$(LIB_OBJ)) $(BUILD)/obj-linktrain/cluster.o
	@rm -f $@
	ar rcs $@ $^

$(LINK_TRAIN_BIN): $(CLI_OBJ) $(LINK_TRAIN_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LINK_TRAIN_LIB) $(SERVE_LIBS) $(LDLIBS)

$(BUILD)/tools/train_link: tools/train_link.c src/link/link_internal.h $(LINK_TRAIN_LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -std=c11 $(OPT) -Wall -Wextra $(PKG_CFLAGS) -o $@ $< $(LINK_TRAIN_LIB) $(LDLIBS)

ifeq ($(LINKMODEL),1)
$(LINK_STATES): tools/link_model.sh tools/score_stories.py $(LINK_INPUTS) $(LINK_TRAIN_BIN)
	sh tools/link_model.sh $(abspath $(LINK_TRAIN_BIN)) $(SHARED) $(@D)

$(LINK_WEIGHTS): $(BUILD)/tools/train_link $(LINK_STATES)
	$(BUILD)/tools/train_link --shared $(SHARED) --dev $(BUILD)/linkmodel/dev.json \
	  --month $(BUILD)/linkmodel/month.json --out $@
endif

# ---------------------------------------------------------------- bench, eval, fuzz
BENCH_SRC := $(sort $(wildcard bench/*.c))
bench: deps-bench
	$(MAKE) --no-print-directory BUILD=build/bench OPT="-O2 -g -DNDEBUG" bench-run

bench-hostile:
	$(MAKE) --no-print-directory BUILD=build/bench OPT="-O2 -g -DNDEBUG" all
	@MARSAD_BIN=$(abspath build/bench/marsad) \
	  MARSAD_BUILD=$(abspath build/bench) sh bench/pathological.sh

# make bench-scale SCALE_N=100000: the archive of SCALE_N reports made from
# the real corpora (bench/scale.sh), analyze and search over it
SCALE_N ?= 1000000
bench-scale: deps-bench
	$(MAKE) --no-print-directory BUILD=build/bench OPT="-O2 -g -DNDEBUG" all
	@MARSAD_BIN=$(abspath build/bench/marsad) MARSAD_SHARED=$(SHARED) \
	  MARSAD_BUILD=$(abspath build/bench) SCALE_N=$(SCALE_N) sh bench/scale.sh

deps-bench:
	@sh scripts/deps.sh bench

# the peers install their own packages (bench/peers.sh skips one that
# cannot be had)
bench-peers: deps-bench
	$(MAKE) --no-print-directory BUILD=build/bench OPT="-O2 -g -DNDEBUG" bench-peers-run

bench-peers-run: $(BIN) $(BUILD)/bench/bench_search $(BUILD)/bench/bench_minhash
	@MARSAD_BIN=$(abspath $(BIN)) MARSAD_SHARED=$(SHARED) \
	  MARSAD_BUILD=$(abspath $(BUILD)) sh bench/peers.sh

bench-run: $(BIN) $(LIB_SO) $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
	@MARSAD_BIN=$(abspath $(BIN)) MARSAD_SHARED=$(SHARED) \
	  MARSAD_BUILD=$(abspath $(BUILD)) sh bench/run.sh

$(BUILD)/bench/%: bench/%.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -std=c11 $(OPT) -Wall -Wextra $(PKG_CFLAGS) -o $@ $< \
	  $(LIB_A) $(LDFLAGS) $(LDLIBS) -lstemmer

eval: deps-demo
	$(MAKE) --no-print-directory all $(BUILD)/tools/eval $(BUILD)/tools/eval_ner \
	  $(BUILD)/tools/claims_oracle
	@$(BUILD)/tools/eval --bin $(BIN) --shared $(SHARED)
	@$(BUILD)/tools/eval_ner --shared $(SHARED)
	@echo "== development gold (../shared/tools scorers)"
	@sh tools/eval.sh $(abspath $(BIN)) $(SHARED)

$(BUILD)/tools/eval_ner: tools/eval_ner.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -std=c11 $(OPT) -Wall -Wextra $(PKG_CFLAGS) -o $@ $< $(LIB_A) $(LDLIBS)

$(BUILD)/tools/claims_oracle: tools/claims_oracle.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -std=c11 $(OPT) -Wall -Wextra $(PKG_CFLAGS) -o $@ $< $(LIB_A) $(LDLIBS)

$(BUILD)/tools/eval: tools/eval.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -std=c11 $(OPT) -Wall -Wextra $(PKG_CFLAGS) -o $@ $< $(LIB_A) $(LDLIBS)

FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
fuzz: deps-fuzz
	$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang SAN= \
	  EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" fuzz-run

deps-fuzz:
	@sh scripts/deps.sh fuzz

fuzz-run: $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%)
	@sh fuzz/run.sh $(FUZZ_SECONDS) $(BUILD) $^

$(BUILD)/fuzz/%: fuzz/%.c $(LIB_A)
	@mkdir -p $(@D)
	clang $(CPPFLAGS) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=all $(PKG_CFLAGS) -o $@ $< $(LIB_A) $(LDLIBS)

# ---------------------------------------------------------------- python
# `make python`: the library, and python/marsad/_build.py naming it, so
# `PYTHONPATH=python /usr/bin/python3 -c 'import marsad'` finds the
# libmarsad.so it was built with (docs/python.md).
python: deps-demo
	$(MAKE) --no-print-directory $(LIB_SO)
	@printf '# written by make python: the library this package was built with\nLIBRARY = %s\n' \
	  "'$(abspath $(LIB_SO))'" > python/marsad/_build.py
	@echo "python: PYTHONPATH=$(abspath python) /usr/bin/python3 -c 'import marsad'"

# ---------------------------------------------------------------- install
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	  $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/marsad
	install -m 644 $(LIB_A) $(DESTDIR)$(PREFIX)/lib/libmarsad.a
	install -m 755 $(LIB_SO) $(DESTDIR)$(PREFIX)/lib/libmarsad.so.0
	ln -sf libmarsad.so.0 $(DESTDIR)$(PREFIX)/lib/libmarsad.so
	install -m 644 include/marsad.h $(DESTDIR)$(PREFIX)/include/marsad.h
	install -m 644 docs/marsad.1 $(DESTDIR)$(PREFIX)/share/man/man1/marsad.1
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(shell sed -n 's/^#define MARSAD_VERSION_STRING "\(.*\)"/\1/p' include/marsad.h)|' \
	  -e 's|@REQUIRES@|$(PKGS)|' marsad.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/marsad.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/marsad $(DESTDIR)$(PREFIX)/lib/libmarsad.* \
	  $(DESTDIR)$(PREFIX)/include/marsad.h $(DESTDIR)$(PREFIX)/share/man/man1/marsad.1 \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig/marsad.pc

# ---------------------------------------------------------------- misc
format:
	clang-format -i include/*.h src/*/*.[ch] tests/unit/*.[ch] tools/*.c bench/*.c fuzz/*.c

lint: all
	clang-tidy $(LIB_SRC) $(CLI_SRC) -- $(CPPFLAGS) -std=c11 $(PKG_CFLAGS) $(SERVE_CFLAGS)

clean:
	rm -rf build report.html marsad.db marsad.db-wal marsad.db-shm

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
