// Command alliance runs an alliance's public website and manages its content.
//
//	alliance [serve] [flags]      start the site (the default)
//	alliance import [--prune] DIR import a content folder
//	alliance export DIR           export the site as a content folder
//	alliance migrate              bring the database schema up to date
//	alliance copy --from A --to B copy a whole site between databases (SQLite ⇄ PostgreSQL)
//	alliance version              print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"syscall"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/content"
	"github.com/alliance-platform/alliance/internal/store"
)

func main() {
	// Pages allocate little that lives long; collecting half as often costs a few megabytes and
	// saves a tenth of the CPU under load. GOGC, when set, still wins.
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(200)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		var ps content.Problems
		if errors.As(err, &ps) {
			fmt.Fprintln(os.Stderr, ps.Error())
		} else {
			fmt.Fprintln(os.Stderr, "alliance:", err)
		}
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

const usage = `Usage:
  alliance [serve] [flags]   start the site
  alliance import [--prune] DIR
                             import a content folder (docs/content-format.md); --prune removes
                             what the site holds and the folder does not, listing it
  alliance export DIR        export the site as a content folder
  alliance migrate           bring the database schema up to date
  alliance copy --from SRC --to DST [--replace]
                             copy a whole site, media included, from one database to another
                             (SQLite file ⇄ postgres:// URL); DST must be empty unless --replace
  alliance version           print the version

Flags (each has an environment variable):
`

// run parses args and runs one subcommand.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("alliance "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := configFlags(fs)
	var copyFrom, copyTo string
	var copyReplace bool
	var importOpts content.Options
	if cmd == "import" {
		fs.BoolVar(&importOpts.Prune, "prune", false, "import: make the site match the folder, removing the items, translations and media files it does not hold")
	}
	if cmd == "copy" {
		fs.StringVar(&copyFrom, "from", "", "copy: the database to read (SQLite path or postgres:// URL)")
		fs.StringVar(&copyTo, "to", "", "copy: the database to write; created and migrated when needed")
		fs.BoolVar(&copyReplace, "replace", false, "copy: remove what the destination holds first")
	}
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	rest := fs.Args()
	needDir := func() (string, error) {
		if len(rest) != 1 {
			fs.Usage()
			return "", fmt.Errorf("%w: alliance %s DIR", errUsage, cmd)
		}
		return rest[0], nil
	}
	switch cmd {
	case "serve":
		m := NewMain(cfg)
		if err := m.Run(ctx); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Alliance is running at %s (Ctrl-C to stop)\n", m.URL())
		<-ctx.Done()
		return m.Close()
	case "version":
		fmt.Fprintln(stdout, "alliance", alliance.Version)
		return nil
	case "migrate":
		db, err := openStore(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		fmt.Fprintf(stdout, "database %s is up to date\n", db.Path())
		return nil
	case "import":
		dir, err := needDir()
		if err != nil {
			return err
		}
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return fmt.Errorf("import: %s is not a folder", dir)
		}
		db, err := openStore(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		st, removed, err := content.ImportDir(ctx, db, dir, importOpts)
		if err != nil {
			return err
		}
		for _, r := range removed {
			fmt.Fprintln(stdout, "removed", r)
		}
		fmt.Fprintf(stdout, "imported %s from %s\n", st, dir)
		return nil
	case "export":
		dir, err := needDir()
		if err != nil {
			return err
		}
		db, err := openStore(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		st, err := content.Export(ctx, db, dir)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "exported %s to %s\n", st, dir)
		return nil
	case "copy":
		if copyFrom == "" || copyTo == "" || len(rest) > 0 {
			fs.Usage()
			return fmt.Errorf("%w: alliance copy --from SRC --to DST", errUsage)
		}
		if copyFrom == copyTo {
			return fmt.Errorf("copy: --from and --to name the same database")
		}
		src, err := openStore(ctx, &alliance.Config{DatabaseURL: copyFrom})
		if err != nil {
			return fmt.Errorf("copy from: %w", err)
		}
		defer src.Close()
		dst, err := openStore(ctx, &alliance.Config{DatabaseURL: copyTo})
		if err != nil {
			return fmt.Errorf("copy to: %w", err)
		}
		defer dst.Close()
		st, err := store.Copy(ctx, dst, src, copyReplace)
		if errors.Is(err, store.ErrNotEmpty) {
			return fmt.Errorf("%w; pass --replace to overwrite it", err)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "copied %s from %s to %s\n", st, src.Path(), dst.Path())
		return nil
	default:
		fs.Usage()
		return fmt.Errorf("%w: unknown command %q", errUsage, cmd)
	}
}

// configFlags declares the flags; each defaults to its ALLIANCE_* environment variable.
func configFlags(fs *flag.FlagSet) *alliance.Config {
	cfg := &alliance.Config{}
	fs.StringVar(&cfg.Addr, "addr", env("ALLIANCE_ADDR", "127.0.0.1:8080"), "listen address (ALLIANCE_ADDR)")
	fs.StringVar(&cfg.DataDir, "data", env("ALLIANCE_DATA", "data"), "data folder, holding the SQLite database (ALLIANCE_DATA)")
	fs.StringVar(&cfg.DatabaseURL, "database", env("ALLIANCE_DATABASE_URL", ""), "database: an SQLite file path (default DATA/alliance.db) or a postgres:// URL (ALLIANCE_DATABASE_URL)")
	fs.StringVar(&cfg.BaseURL, "base-url", env("ALLIANCE_BASE_URL", ""), "public origin for canonical links, e.g. https://alliance.example.eu (default: the request's host) (ALLIANCE_BASE_URL)")
	fs.BoolVar(&cfg.PageCache, "page-cache", envBool("ALLIANCE_PAGE_CACHE", true), "keep rendered pages in memory until content changes (ALLIANCE_PAGE_CACHE)")
	fs.BoolVar(&cfg.Demo, "demo", envBool("ALLIANCE_DEMO", true), "fill a new, empty database with the demo site (ALLIANCE_DEMO)")
	return cfg
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envBool(name string, def bool) bool {
	if v, ok := os.LookupEnv(name); ok {
		if b, err := strconv.ParseBool(v); err == nil {
			return b
		}
	}
	return def
}

// databaseURL is the configured database, or the SQLite file in the data folder.
func databaseURL(cfg *alliance.Config) string {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL
	}
	return filepath.Join(cfg.DataDir, "alliance.db")
}

// openStore opens and migrates the database.
func openStore(ctx context.Context, cfg *alliance.Config) (*store.DB, error) {
	db, err := store.Open(ctx, databaseURL(cfg))
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}
