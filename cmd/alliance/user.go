package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/auth"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/mail"
	"github.com/alliance-platform/alliance/internal/store"
)

// userOptions are the flags of alliance user add.
type userOptions struct {
	role, member, languages, name string
}

// runUser runs alliance user add|list|disable; args are the subcommand and its arguments.
func runUser(ctx context.Context, cfg *alliance.Config, args []string, opts userOptions, stdout io.Writer) error {
	mailer, err := mail.Parse(cfg.SMTP)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := auth.New(db, cfg.Clock)
	switch args[0] {
	case "add":
		return addUser(ctx, cfg, db, svc, mailer, args[1], opts, stdout)
	case "list":
		users, err := db.Users(ctx)
		if err != nil {
			return err
		}
		invited, err := db.Invited(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "EMAIL\tNAME\tROLE\tMEMBER\tLANGUAGES\tSTATUS")
		for _, u := range users {
			status := "active"
			switch {
			case u.Disabled:
				status = "disabled"
			case invited[u.ID]:
				status = "invited"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Email, dash(u.Name), u.Role, dash(u.Member), dash(strings.Join(u.Languages, ",")), status)
		}
		return tw.Flush()
	case "disable":
		u, _, err := db.UserByEmail(ctx, args[1])
		if store.IsNotFound(err) {
			return fmt.Errorf("user disable: no user has the address %s", args[1])
		}
		if err != nil {
			return err
		}
		if u.Disabled {
			fmt.Fprintf(stdout, "%s was already disabled\n", u.Email)
			return nil
		}
		u.Disabled = true
		if err := svc.SaveUser(ctx, auth.Actor{}, u); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "disabled %s; their sessions have ended\n", u.Email)
		return nil
	case "token":
		return userToken(ctx, cfg, db, args[1], opts.name, stdout)
	}
	return fmt.Errorf("%w: alliance user add|list|disable|token", errUsage)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func addUser(ctx context.Context, cfg *alliance.Config, db *store.DB, svc *auth.Service, mailer *mail.Mailer, email string, opts userOptions, stdout io.Writer) error {
	if opts.role == "" {
		return fmt.Errorf("%w: user add needs --role (one of %s)", errUsage, roleNames())
	}
	u := &alliance.User{Email: email, Name: strings.TrimSpace(opts.name), Role: alliance.Role(opts.role), Member: opts.member}
	for _, l := range strings.Split(opts.languages, ",") {
		if l = strings.TrimSpace(l); l != "" {
			u.Languages = append(u.Languages, l)
		}
	}
	switch {
	case u.Member != "" && u.Role != alliance.RoleMemberEditor:
		return fmt.Errorf("user add: --member is only for --role %s", alliance.RoleMemberEditor)
	case len(u.Languages) > 0 && u.Role != alliance.RoleTranslator:
		return fmt.Errorf("user add: --languages is only for --role %s", alliance.RoleTranslator)
	}
	site, err := db.Site(ctx)
	if err != nil {
		return err
	}
	tok, err := svc.Invite(ctx, auth.Actor{}, u)
	var verr *auth.ValidationError
	switch {
	case errors.As(err, &verr):
		return fmt.Errorf("user add %s: %w", email, err)
	case errors.Is(err, store.ErrExists):
		return fmt.Errorf("user add: a user with the address %s exists already", u.Email)
	case err != nil:
		return err
	}
	base := strings.TrimSuffix(cfg.BaseURL, "/")
	if base == "" {
		base = "http://" + cfg.Addr
	}
	link := base + "/admin/invitation/" + tok
	if mailer == nil {
		fmt.Fprintf(stdout, "invited %s as %s; no mail server is configured (--smtp), so send them this link, which works once within 7 days:\n%s\n", u.Email, u.Role, link)
		return nil
	}
	l := locale.MustGet(locale.Default)
	if sl, ok := locale.Get(site.DefaultLanguage()); ok {
		l = sl
	}
	msg := mail.Invitation(l, site.Name, u.Email, site.Name, l.B("role."+string(u.Role)), link)
	if err := mailer.Send(ctx, msg); err != nil {
		return fmt.Errorf("invited %s, but the mail failed (%w); send them this link instead: %s", u.Email, err, link)
	}
	fmt.Fprintf(stdout, "invited %s as %s; the invitation is mailed\n", u.Email, u.Role)
	return nil
}

func roleNames() string {
	names := make([]string, len(alliance.Roles))
	for i, r := range alliance.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}
