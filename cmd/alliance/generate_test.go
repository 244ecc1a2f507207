package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// The generate command writes a folder the import command takes whole.
func TestGenerateThenImport(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "large")
	var out bytes.Buffer
	if err := run(ctx, []string{"generate", dir, "--items", "60", "--seed", "3"}, &out, &out); err != nil {
		t.Fatalf("generate: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "generated 60 items") {
		t.Errorf("generate said %q, want it to count 60 items", out.String())
	}
	out.Reset()
	data := t.TempDir()
	if err := run(ctx, []string{"--data", data, "--demo=false", "import", dir}, &out, &out); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "imported ") {
		t.Errorf("import said %q", out.String())
	}
	if err := run(ctx, []string{"generate", dir, "--items", "5"}, &out, &out); err == nil {
		t.Error("generate into a folder that is not empty succeeded")
	}
	if err := run(ctx, []string{"import", dir, "--items", "5"}, &out, &out); err == nil || !strings.Contains(err.Error(), "--items is a flag of alliance generate") {
		t.Errorf("import --items: %v, want it refused", err)
	}
}
