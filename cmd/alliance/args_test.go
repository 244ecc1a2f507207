package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// Flags may come before or after the subcommand and its arguments; a word that is not a
// subcommand, or one too many, is refused rather than served.
func TestParseArgs(t *testing.T) {
	tests := []struct {
		args     []string
		cmd      string
		rest     []string
		data     string
		demo     bool
		usageErr string // part of the error; empty when args are fine
	}{
		{args: nil, cmd: "serve", data: "data", demo: true},
		{args: []string{"--demo=false"}, cmd: "serve", data: "data"},
		{args: []string{"import", "./my-content", "--demo=false"}, cmd: "import", rest: []string{"./my-content"}, data: "data"},
		{args: []string{"--data", "X", "import", "DIR"}, cmd: "import", rest: []string{"DIR"}, data: "X", demo: true},
		{args: []string{"import", "--data", "X", "DIR"}, cmd: "import", rest: []string{"DIR"}, data: "X", demo: true},
		{args: []string{"--data=X", "export", "DIR", "--demo=false"}, cmd: "export", rest: []string{"DIR"}, data: "X"},
		{args: []string{"import", "--", "-dash-folder"}, cmd: "import", rest: []string{"-dash-folder"}, data: "data", demo: true},
		{args: []string{"copy", "--from", "a.db", "--to", "b.db"}, cmd: "copy", data: "data", demo: true},
		{args: []string{"--data", "X", "frob"}, usageErr: `unknown command "frob"`},
		{args: []string{"--data", "X", "import"}, usageErr: "alliance import DIR"},
		{args: []string{"import", "a", "b"}, usageErr: `unexpected argument "b"`},
		{args: []string{"serve", "extra"}, usageErr: `unexpected argument "extra"`},
		{args: []string{"version", "--from", "x"}, usageErr: "--from is a flag of alliance copy"},
		{args: []string{"import", "DIR", "--bogus"}, usageErr: "-bogus"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			fs := flag.NewFlagSet("alliance", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			cfg := configFlags(fs)
			fs.String("from", "", "")
			fs.String("to", "", "")
			cmd, rest, err := parseArgs(fs, tt.args)
			if tt.usageErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.usageErr) {
					t.Fatalf("error = %v, want one saying %q", err, tt.usageErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cmd != tt.cmd || !slices.Equal(rest, tt.rest) || cfg.DataDir != tt.data || cfg.Demo != tt.demo {
				t.Errorf("got %s %q data=%s demo=%v, want %s %q data=%s demo=%v", cmd, rest, cfg.DataDir, cfg.Demo, tt.cmd, tt.rest, tt.data, tt.demo)
			}
		})
	}
}

// The README's commands, run as written: an import with its flags after the folder, and one
// with a global flag before the subcommand, import rather than start a server.
func TestImportWithFlagsAnywhere(t *testing.T) {
	t.Setenv("ALLIANCE_DATABASE_URL", "")
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	src := startSiteOn(t, storetest.NewURL(t, "sqlite"), true)
	if err := run(context.Background(), []string{"export", out, "--database", src.Config.DatabaseURL}, io.Discard, io.Discard); err != nil {
		t.Fatalf("export: %v", err)
	}
	for _, args := range [][]string{
		{"import", out, "--demo=false", "--data", filepath.Join(dir, "a")},
		{"--data", filepath.Join(dir, "b"), "import", out},
	} {
		// Were it to serve instead, it would stop at the deadline having printed its address.
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		var stdout strings.Builder
		err := run(ctx, args, &stdout, io.Discard)
		cancel()
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		if !strings.HasPrefix(stdout.String(), "imported ") {
			t.Errorf("%q printed %q, want the import's summary", args, stdout.String())
		}
	}
	err := run(context.Background(), []string{"--data", dir, "improt", out}, io.Discard, io.Discard)
	if !errors.Is(err, errUsage) {
		t.Errorf("a misspelt command: %v, want a usage error", err)
	}
}
