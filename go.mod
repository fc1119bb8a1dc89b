module github.com/budgetpdf/budgetpdf

go 1.26.0

require (
	github.com/ledongthuc/pdf v0.0.0-20260907135840-6c8c28e0e8a0 // indirect
	golang.org/x/text v0.44.0 // indirect
)
