package normalize

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// TestSettingsDefaults checks that every threshold has a default and that
// its doc comment starts with its name and gives that default, so that no
// field is left at zero by mistake and none goes undocumented.
func TestSettingsDefaults(t *testing.T) {
	def := reflect.ValueOf((*Settings)(nil).withDefaults())
	f, err := parser.ParseFile(token.NewFileSet(), "settings.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	documented := 0
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || ts.Name.Name != "Settings" {
			return true
		}
		for _, fld := range ts.Type.(*ast.StructType).Fields.List {
			name := fld.Names[0].Name
			doc := strings.Join(strings.Fields(fld.Doc.Text()), " ")
			var got string
			switch v := def.FieldByName(name); v.Kind() {
			case reflect.Float64:
				got = strconv.FormatFloat(v.Float(), 'g', -1, 64)
			case reflect.Int:
				got = strconv.FormatInt(v.Int(), 10)
			default:
				t.Errorf("Settings.%s: a %s, not a number", name, v.Kind())
				continue
			}
			if !strings.HasPrefix(doc, name+" ") || !strings.HasSuffix(doc, "Default "+got+".") {
				t.Errorf("Settings.%s = %s by default; its doc comment %q should start with its name and end with \"Default %s.\"", name, got, doc, got)
			}
			documented++
		}
		return false
	})
	if documented != def.NumField() {
		t.Errorf("%d of %d fields read from settings.go", documented, def.NumField())
	}
}
