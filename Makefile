# budgetpdf: see README.md.
GO ?= go
BIN := bin/budgetpdf

.PHONY: build test demo bench batch-bench fuzz golden corpus corpus-interop mutants interop same-output clean

# A static binary, without cgo (budgetpdf needs none; URLs are resolved by
# Go's own DNS resolver): a run starts its own process again (watched) and
# worker processes, and each starts in about 22 ms instead of 30 without
# the dynamic loader and libc.
build:
	CGO_ENABLED=0 $(GO) build -o $(BIN) ./cmd/budgetpdf

# vet, then every test with the race detector.
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...
	cd third_party/pdf && $(GO) vet ./... && $(GO) test -race -count=1 ./...

# The pipeline on the bundled fixtures: Parquet and JSON Lines in out/, and
# a workbook per document in out/xlsx/.
demo: build
	@$(BIN) run -force -format parquet,jsonl,xlsx -o out fixtures || true
	@echo
	@echo "Output: out/documents, out/tables, out/cells, out/checks, out/indicators, out/form_fields, out/facts (Parquet parts; JSON Lines in out/jsonl), out/xlsx (a workbook per document). Try, in DuckDB:"
	@echo "  SELECT table_code, row_label, column_path, amount, amount_yuan"
	@echo "  FROM 'out/cells/*/*.parquet' WHERE table_code = '预算01表' AND amount IS NOT NULL;"

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# budgetpdf run against pdftotext -bbox (poppler-utils) over the corpus plus
# the broken files (1x), then ten distinct copies of the corpus (10x), with
# 1 and 2 workers, reading in the run's process, watched (the default),
# in a worker process per document (-worker-processes) and -in-process:
# seconds and peak KB of the largest process (GNU time), and the run's own
# line on the memory of its processes. Each run writes a new dataset
# (removing the last one is not timed). Each of the four runs ROUNDS
# times, the order turned each round (watched, -worker-processes,
# -in-process, pdftotext; then each one place on), and each timed run
# starts after SETTLE seconds idle: on this machine memory another
# program has just freed is cheap to take again, and after about ten
# seconds it costs the host's fault again (3.5 ms per 2 MiB), so a run
# that follows a larger one was favoured, one that follows pdftotext was
# not. SETTLE=0 runs them back to back.
CORPUS ?= ../shared/corpus
ROUNDS ?= 4
SETTLE ?= 12
batch-bench: build
	@set -e; d=$$(mktemp -d); mkdir $$d/1x $$d/10x; \
	cp $(CORPUS)/*.pdf extract/testdata/broken/*.pdf $$d/1x/; \
	cp extract/testdata/broken/*.pdf $$d/10x/; \
	for i in 1 2 3 4 5 6 7 8 9 10; do for f in $(CORPUS)/*.pdf; do \
		{ cat "$$f"; printf '\n%% copy %d\n' $$i; } > $$d/10x/$$(basename "$$f" .pdf)-copy$$i.pdf; done; done; \
	for n in 1x 10x; do for w in 1 2; do for r in $$(seq $(ROUNDS)); do \
		case $$((r % 4)) in 1) order="w d i p";; 2) order="d i p w";; 3) order="i p w d";; 0) order="p w d i";; esac; \
		for k in $$order; do rm -rf $$d/out; sleep $(SETTLE); case $$k in \
		w) /usr/bin/time -f "budgetpdf $$n workers=$$w, watched: %e s (%U s user, %S s sys), largest process %M KB" $(BIN) run -quiet -workers $$w -o $$d/out $$d/$$n | grep "^the run's process" || true;; \
		d) /usr/bin/time -f "budgetpdf $$n workers=$$w, -worker-processes: %e s (%U s user, %S s sys), largest process %M KB" $(BIN) run -quiet -worker-processes -workers $$w -o $$d/out $$d/$$n | grep '^worker processes' || true;; \
		i) /usr/bin/time -f "budgetpdf $$n workers=$$w, -in-process: %e s (%U s user, %S s sys), %M KB" $(BIN) run -quiet -in-process -workers $$w -o $$d/out $$d/$$n >/dev/null || true;; \
		p) /usr/bin/time -f "pdftotext -bbox $$n processes=$$w: %e s" sh -c "ls $$d/$$n/*.pdf | xargs -P$$w -I{} sh -c 'pdftotext -bbox \"{}\" /dev/null 2>/dev/null; true'";; \
		esac; done; \
	done; done; done; \
	rm -rf $$d/out; $(BIN) run -quiet -o $$d/out $$d/10x >/dev/null || true; \
	/usr/bin/time -f "budgetpdf 10x again, nothing new: %e s, %M KB" $(BIN) run -quiet -o $$d/out $$d/10x || true; \
	rm -rf $$d

# Each fuzz target for FUZZTIME, e.g. make fuzz FUZZTIME=10m
FUZZTIME ?= 60s
FUZZ_EXTRACT := FuzzOpen FuzzLexer FuzzLexerStreaming FuzzParseCMap FuzzParseSfntCmap
FUZZ_NORMALIZE := FuzzGridAssembly FuzzParseAmount FuzzParseFunctionCode FuzzNormalizeText FuzzParseTarget FuzzSortByMiddle FuzzSortByPos
FUZZ_REFERENCE := FuzzSameName FuzzAgency
FUZZ_WORKBOOK := FuzzWrite
FUZZ_PIPELINE := FuzzDecodeAnswer FuzzOneLine FuzzReadManifest FuzzWatchNotes
FUZZ_SCHEMA := FuzzDatasetParts FuzzJSONLinesEncoder FuzzNumber FuzzRound2 FuzzUnscaled
fuzz:
	@for f in $(FUZZ_EXTRACT); do $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) ./extract/ || exit 1; done
	@for f in $(FUZZ_NORMALIZE); do $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) ./normalize/ || exit 1; done
	@for f in $(FUZZ_REFERENCE); do $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) ./reference/ || exit 1; done
	@for f in $(FUZZ_WORKBOOK); do $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) ./workbook/ || exit 1; done
	@for f in $(FUZZ_PIPELINE); do $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) ./pipeline/ || exit 1; done
	@for f in $(FUZZ_SCHEMA); do $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) ./schema/ || exit 1; done

# Rewrite every testdata golden after a reviewed change.
golden:
	$(GO) test ./extract/ ./normalize/ ./cmd/... -run Golden -update

# The evaluations over ../shared/corpus (needs poppler-utils for pdftotext),
# one package at a time (-p 1): some of them time a stage, or a report's
# loading, and packages tested side by side would time each other.
corpus: build
	BUDGETPDF_CORPUS=$(abspath $(CORPUS)) BUDGETPDF_TRUTH=$(abspath $(CORPUS)/../truth) $(GO) test -p 1 -count=1 -run 'Corpus|LargestReport|TruthAgreement' -v -timeout 30m ./extract/ ./normalize/ ./pipeline/ ./reference/ ./workbook/ ./cmd/budgetpdf/internal/report/

# The facts record set over ../shared/corpus, asked in DuckDB (cgo): every
# 三公 total against its items, basic = personnel + public on every row;
# and a crawl manifest of the corpus (its MANIFEST.tsv's source_repo and
# region as metadata) read back by metadata['site'].
corpus-interop:
	BUDGETPDF_CORPUS=$(abspath $(CORPUS)) $(GO) test -count=1 -tags interop -run 'InteropFacts|InteropReadme|InteropManifest' -v ./cmd/budgetpdf/

# MUTANTS byte-flipped and truncated copies of three corpus files (the same
# every time), read by budgetpdf run (watched: a crash of the run's
# process starts it again) and by pdftotext: the run never crashes, every
# mutant is recorded, and the
# counts read by each (TestMutants). Not in make test.
MUTANTS ?= 1000
mutants:
	BUDGETPDF_CORPUS=$(abspath $(CORPUS)) BUDGETPDF_MUTANTS=$(MUTANTS) $(GO) test -count=1 -run '^TestMutants$$' -v -timeout 60m ./cmd/budgetpdf/

# DuckDB reads our Parquet (cgo; the first build downloads and links DuckDB).
interop:
	$(GO) test -count=1 -tags interop -run Interop ./schema/ ./cmd/budgetpdf/

# The corpus dataset at BASE (a git revision) and in the working tree,
# compared part by part: each part's SHA-256, the run's name taken out of
# the part names (part-<run>-<sequence>). Prints nothing else when every
# part is the same.
BASE ?= main
same-output: build
	@set -e; d=$$(mktemp -d); git archive $(BASE) | tar -x -C $$d; \
	(cd $$d && $(GO) build -o $$d/bin-base ./cmd/budgetpdf); cp $(BIN) $$d/bin-head; \
	for v in base head; do \
		$$d/bin-$$v run -quiet -force -workers 2 -o $$d/out-$$v $(CORPUS) >/dev/null || true; \
		(cd $$d/out-$$v && find . -type f -name 'part-*' | xargs sha256sum | sed -E 's#part-[0-9a-z]+\.[0-9]+-#part-#' | sort -k2) > $$d/sums-$$v; \
	done; \
	echo "$$(wc -l < $$d/sums-head) parts compared with $(BASE)"; \
	diff $$d/sums-base $$d/sums-head && echo "same output: every part identical"; s=$$?; rm -rf $$d; exit $$s

clean:
	rm -rf bin out
