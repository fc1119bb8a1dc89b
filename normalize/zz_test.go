package normalize

import (
	"fmt"
	"testing"

	"github.com/budgetpdf/budgetpdf/extract"
)

func TestZZGlyphs(t *testing.T) {
	for _, c := range []struct {
		f    string
		p    int
		y0, y1, x0, x1 float64
	}{{"/work/shared/corpus/beijing-ecology-environment-2026-budget-tables.pdf", 8, 530, 580, 20, 160}} {
		d, _ := extract.OpenFile(c.f, nil)
		p, _ := d.Page(c.p)
		for _, g := range Grids(p.Lines, nil) {
			for _, y := range g.Ys {
				if y > c.y0 && y < c.y1 {
					fmt.Println("rule y", y)
				}
			}
		}
		for _, g := range p.Glyphs {
			if g.Y0 > c.y0 && g.Y1 < c.y1 && g.X0 > c.x0 && g.X1 < c.x1 {
				fmt.Printf("%s %.1f-%.1f y%.1f-%.1f\n", g.Text, g.X0, g.X1, g.Y0, g.Y1)
			}
		}
	}
}
