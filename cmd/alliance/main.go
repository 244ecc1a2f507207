// Command alliance runs an alliance's public website and manages its content.
//
//	alliance [serve] [flags]      start the site (the default)
//	alliance import [--prune] DIR import a content folder
//	alliance export DIR           export the site as a content folder
//	alliance migrate              bring the database schema up to date
//	alliance copy --from A --to B copy a whole site between databases (SQLite ⇄ PostgreSQL)
//	alliance user add|list|disable manage the back office's users
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
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/content"
	"github.com/alliance-platform/alliance/internal/demo"
	"github.com/alliance-platform/alliance/internal/generate"
	"github.com/alliance-platform/alliance/internal/store"
)

func main() {
	// Pages allocate little that lives long; collecting half as often costs a few megabytes and
	// saves a tenth of the CPU under load. GOGC, when set, still wins. Serving sets its own
	// (collectorFor).
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
			fmt.Fprintln(os.Stderr, "Run 'alliance -h' for the commands and flags.")
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
  alliance generate DIR --items N [--seed S]
                             write the demo site plus N generated items, across the site's
                             languages, as a content folder (for measuring a large site)
  alliance user add EMAIL --role ROLE [--member KEY] [--languages el,de] [--name NAME]
                             invite a user to the back office: mails the invitation when
                             SMTP is configured, else prints its link; ROLE is administrator,
                             editor, member-editor (needs --member), organiser or translator
                             (needs --languages)
  alliance user list         list the users
  alliance user disable EMAIL
                             stop a user from signing in and end their sessions
  alliance user token EMAIL [--name NAME]
                             create an API token for the user (printed once; revoke it in
                             the back office); NAME says what it is for ("command line")
  alliance version           print the version

Flags (each has an environment variable):
`

// commands are the subcommands and the positional arguments each takes; a command with subs
// takes one of them as its first argument, then that one's arguments.
var commands = map[string]struct {
	args []string
	subs map[string][]string
}{
	"serve":    {},
	"version":  {},
	"migrate":  {},
	"import":   {args: []string{"DIR"}},
	"export":   {args: []string{"DIR"}},
	"copy":     {},
	"generate": {args: []string{"DIR"}},
	"user":     {subs: map[string][]string{"add": {"EMAIL"}, "list": nil, "disable": {"EMAIL"}, "token": {"EMAIL"}}},
}

// commandFlags are the flags that only one subcommand understands.
var commandFlags = map[string]string{"from": "copy", "to": "copy", "replace": "copy", "prune": "import", "items": "generate", "seed": "generate",
	"role": "user", "member": "user", "languages": "user", "name": "user"}

// parseArgs splits args into the subcommand, its positional arguments and the flags, which may
// come before or after the subcommand and its arguments (`alliance --data X import DIR` and
// `alliance import DIR --demo=false` mean the same). A word that is not a subcommand is an error,
// never a reason to serve: naming a command and getting a server would be a surprise.
func parseArgs(fs *flag.FlagSet, args []string) (cmd string, rest []string, err error) {
	var words []string
	// Everything after "--" is a word, even if it starts with a dash (a folder named "-x").
	for i, a := range args {
		if a == "--" {
			words, args = args[i+1:], args[:i]
			break
		}
	}
	var before []string
	for {
		if err := fs.Parse(args); err != nil {
			return "", nil, err
		}
		// flag stops at the first word: keep it and parse what follows it.
		if args = fs.Args(); len(args) == 0 {
			break
		}
		before, args = append(before, args[0]), args[1:]
	}
	words = append(before, words...)
	cmd = "serve"
	if len(words) > 0 {
		cmd, words = words[0], words[1:]
	}
	c, ok := commands[cmd]
	if !ok {
		return cmd, nil, fmt.Errorf("%w: unknown command %q", errUsage, cmd)
	}
	if c.subs != nil {
		var names []string
		for name := range c.subs {
			names = append(names, name)
		}
		sort.Strings(names)
		if len(words) == 0 {
			return cmd, nil, fmt.Errorf("%w: alliance %s %s", errUsage, cmd, strings.Join(names, "|"))
		}
		args, ok := c.subs[words[0]]
		if !ok {
			return cmd, nil, fmt.Errorf("%w: unknown command %q of alliance %s (one of %s)", errUsage, words[0], cmd, strings.Join(names, ", "))
		}
		c.args = append([]string{words[0]}, args...)
	}
	if len(words) != len(c.args) {
		want := "alliance " + cmd
		for _, a := range c.args {
			want += " " + a
		}
		if len(words) > len(c.args) {
			return cmd, nil, fmt.Errorf("%w: unexpected argument %q (usage: %s)", errUsage, words[len(c.args)], want)
		}
		return cmd, nil, fmt.Errorf("%w: %s", errUsage, want)
	}
	fs.Visit(func(f *flag.Flag) {
		if only, ok := commandFlags[f.Name]; ok && only != cmd && err == nil {
			err = fmt.Errorf("%w: --%s is a flag of alliance %s, not of alliance %s", errUsage, f.Name, only, cmd)
		}
	})
	return cmd, words, err
}

// run parses args and runs one subcommand.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("alliance", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned, and the usage printed below for -h only
	cfg := configFlags(fs)
	var copyFrom, copyTo string
	var copyReplace bool
	fs.StringVar(&copyFrom, "from", "", "copy: the database to read (SQLite path or postgres:// URL)")
	fs.StringVar(&copyTo, "to", "", "copy: the database to write; created and migrated when needed")
	fs.BoolVar(&copyReplace, "replace", false, "copy: remove what the destination holds first")
	var importOpts content.Options
	var userOpts userOptions
	fs.StringVar(&userOpts.role, "role", "", "user add: the role (administrator, editor, member-editor, organiser, translator)")
	fs.StringVar(&userOpts.member, "member", "", "user add: a member editor's university (its key)")
	fs.StringVar(&userOpts.languages, "languages", "", "user add: a translator's languages, comma-separated (el,de)")
	fs.StringVar(&userOpts.name, "name", "", "user add: the user's name")
	fs.BoolVar(&importOpts.Prune, "prune", false, "import: make the site match the folder, removing the items, translations and media files it does not hold")
	var genOpts generate.Options
	fs.IntVar(&genOpts.Items, "items", 1000, "generate: how many items to add to the demo's")
	fs.Uint64Var(&genOpts.Seed, "seed", 1, "generate: the same seed gives the same folder")
	fs.Usage = func() {}
	cmd, rest, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stderr, usage)
		fs.SetOutput(stderr)
		fs.PrintDefaults()
		return nil
	}
	if err != nil {
		if errors.Is(err, errUsage) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	dir := ""
	if len(rest) > 0 {
		dir = rest[0]
	}
	switch cmd {
	case "serve":
		setCollector(cfg, os.LookupEnv)
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
	case "user":
		return runUser(ctx, cfg, rest, userOpts, stdout)
	case "copy":
		if copyFrom == "" || copyTo == "" {
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
	case "generate":
		start := time.Now()
		st, err := generate.Site(dir, demo.Content(), genOpts)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "generated %s in %s, in %s\n", st, dir, time.Since(start).Round(time.Millisecond))
		return nil
	default: // parseArgs knows every command
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
	fs.StringVar(&cfg.SMTP, "smtp", env("ALLIANCE_SMTP_URL", ""), "mail server of the back office: smtp://user:password@host:587?from=noreply@example.eu (smtps:// for TLS from the start; &tls=none for a local relay); empty: no mail (ALLIANCE_SMTP_URL)")
	fs.StringVar(&cfg.Timezone, "timezone", env("ALLIANCE_TIMEZONE", alliance.DefaultTimezone), "the site's time zone, in which editors schedule publication (ALLIANCE_TIMEZONE)")
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
