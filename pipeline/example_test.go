package pipeline_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

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
