package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/api"
	"github.com/alliance-platform/alliance/internal/auth"
	"github.com/alliance-platform/alliance/internal/store"
)

// userToken creates an API token for the user with address email, named name ("command line"
// when empty), and prints it: the only time it is shown.
func userToken(ctx context.Context, cfg *alliance.Config, db *store.DB, email, name string, stdout io.Writer) error {
	u, _, err := db.UserByEmail(ctx, email)
	if store.IsNotFound(err) {
		return fmt.Errorf("user token: no user has the address %s", email)
	}
	if err != nil {
		return err
	}
	if u.Disabled {
		return fmt.Errorf("user token: %s is disabled", u.Email)
	}
	if name == "" {
		name = "command line"
	}
	secret, _, err := api.IssueToken(ctx, db, cfg.Clock(), auth.Actor{}, u, name)
	if errors.Is(err, api.ErrTokenName) {
		return fmt.Errorf("user token: --name: %w", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "API token %q for %s (%s); it is shown only this once:\n%s\n", name, u.Email, u.Role, secret)
	return nil
}
