# budgetpdf: see README.md.
GO ?= go
BIN := bin/budgetpdf

.PHONY: build test demo bench fuzz golden corpus interop clean

build:
	$(GO) build -o $(BIN) ./cmd/budgetpdf

# vet, then every test with the race detector.
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

# The pipeline on the bundled fixtures: Parquet and JSON Lines in out/.
demo: build
	@$(BIN) run -o out fixtures || true
	@echo
	@echo "Output: out/documents, out/tables, out/cells (.parquet and .jsonl). Try, in DuckDB:"
	@echo "  SELECT table_code, row_label, column_path, amount, amount_yuan"
	@echo "  FROM 'out/cells.parquet' WHERE table_code = '预算01表' AND amount IS NOT NULL;"

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Each fuzz target for FUZZTIME, e.g. make fuzz FUZZTIME=10m
FUZZTIME ?= 60s
FUZZ_EXTRACT := FuzzOpen FuzzLexer FuzzParseCMap FuzzParseSfntCmap
FUZZ_NORMALIZE := FuzzGridAssembly FuzzParseAmount FuzzParseFunctionCode FuzzNormalizeText
fuzz:
	@for f in $(FUZZ_EXTRACT); do $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) ./extract/ || exit 1; done
	@for f in $(FUZZ_NORMALIZE); do $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) ./normalize/ || exit 1; done

# Rewrite every testdata golden after a reviewed change.
golden:
	$(GO) test ./extract/ ./normalize/ ./cmd/... -run Golden -update

# The evaluations over ../shared/corpus (needs poppler-utils for pdftotext).
corpus: build
	BUDGETPDF_CORPUS=../shared/corpus $(GO) test -count=1 -run 'Corpus|LargestReport' -v -timeout 30m ./extract/ ./normalize/ ./cmd/budgetpdf/internal/report/

# DuckDB reads our Parquet (cgo; the first build downloads and links DuckDB).
interop:
	$(GO) test -count=1 -tags interop -run Interop ./schema/ ./cmd/budgetpdf/

clean:
	rm -rf bin out
