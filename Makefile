# budgetpdf: see README.md.
GO ?= go
BIN := bin/budgetpdf

.PHONY: build test demo bench fuzz golden corpus clean

build:
	$(GO) build -o $(BIN) ./cmd/budgetpdf

# vet, then every test with the race detector.
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

demo: build
	@mkdir -p out
	@for f in fixtures/*.pdf; do \
		echo "== $$f"; $(BIN) text -pages 1-2 "$$f" | head -40; \
	done

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# FUZZTIME per target, e.g. make fuzz FUZZTIME=10m
FUZZTIME ?= 60s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzOpen$$' -fuzztime $(FUZZTIME) ./extract/

golden:
	$(GO) test ./... -run Golden -update

# The evaluation over ../shared/corpus against pdftotext (needs poppler-utils).
corpus: build
	BUDGETPDF_CORPUS=../shared/corpus $(GO) test -count=1 -run Corpus -v -timeout 30m ./extract/

clean:
	rm -rf bin out
