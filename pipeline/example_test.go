package pipeline_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/budgetpdf/budgetpdf/pipeline"
	"github.com/budgetpdf/budgetpdf/schema"
)

// Run a batch over the fixtures into a dataset directory, without the
// command; then run it again: every document is in the dataset already.
func ExampleRun() {
	dir, err := os.MkdirTemp("", "dataset-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	files, _ := filepath.Glob("../fixtures/*.pdf")
	if _, err := pipeline.Run(context.Background(), dir, files, &pipeline.RunOptions{Workers: 2}); err != nil {
		log.Fatal(err)
	}
	docs, err := schema.ReadDataset[schema.Document](dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range docs {
		fmt.Println(d.Status, filepath.Base(d.SourceFile))
	}
	again, err := pipeline.Run(context.Background(), dir, files, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("again: %d read, %d skipped\n", again.Documents, again.Skipped)
	// Output:
	// no_text_layer beijing-data-bureau-2026-budget-notes-scanned-p1.pdf
	// ok guangzhou-ecology-environment-2026-performance-projects-p9.pdf
	// ok hangzhou-police-2026-budget-p5-7.pdf
	// ok jiangsu-npc-office-2019-budget-tables.pdf
	// ok seed-yindu-hrss-2024-ruled.pdf
	// ok seed-yindu-hrss-2024-threeline.pdf
	// ok shanghai-stats-institute-2026-unit-budget-p7-9.pdf
	// ok xian-sasac-2022-budget-p36.pdf
	// ok xian-science-tech-2022-budget-p20-21.pdf
	// ok yantai-housing-construction-2026-budget-p2-3.pdf
	// again: 0 read, 10 skipped
}

// Read a crawl manifest: a row per file, a path (relative to the
// manifest) or a URL, the other columns kept as metadata; a row that does
// not read is an input that fails, named by its line.
func ExampleReadManifest() {
	manifest := "path,url,site,region\n" +
		"pdfs/a.pdf,https://www.bj.gov.cn/a.pdf,www.bj.gov.cn,北京市\n" +
		",https://www.gz.gov.cn/b.pdf,www.gz.gov.cn,广州市\n" +
		",,www.sh.gov.cn,上海市\n"
	inputs, err := pipeline.ReadManifest(strings.NewReader(manifest), "crawl/crawl.csv")
	if err != nil {
		log.Fatal(err)
	}
	for _, in := range inputs {
		if in.Err != nil {
			fmt.Println(in.Name(), "fails:", in.Err)
			continue
		}
		fmt.Println(in.Name(), in.SourceURL, in.Metadata["site"], in.Metadata["region"])
	}
	// Output:
	// crawl/pdfs/a.pdf https://www.bj.gov.cn/a.pdf www.bj.gov.cn 北京市
	// https://www.gz.gov.cn/b.pdf https://www.gz.gov.cn/b.pdf www.gz.gov.cn 广州市
	// crawl/crawl.csv:4 fails: crawl/crawl.csv:4: neither path nor url
}
