package auth

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

// Owned reads what alliance.Can needs to know of the stored item kind/key: the members it
// belongs to (its authors' for a story or resource, found through their person items) and who
// created it; a session's are its event's.
func Owned(ctx context.Context, db *store.DB, kind alliance.Kind, key string) (alliance.Owned, error) {
	id, raw, err := db.Ownership(ctx, kind, key)
	if err != nil {
		return alliance.Owned{}, err
	}
	ki, ok := alliance.InfoOf(kind)
	if !ok {
		return alliance.Owned{}, fmt.Errorf("owner of %s %s: unknown kind", kind, key)
	}
	shared := ki.NewShared()
	if err := json.Unmarshal(raw, shared); err != nil {
		return alliance.Owned{}, fmt.Errorf("owner of %s %s: %w", kind, key, err)
	}
	if s, ok := shared.(*alliance.Session); ok {
		o, err := Owned(ctx, db, alliance.KindEvent, s.Event)
		if err != nil {
			return alliance.Owned{}, fmt.Errorf("owner of session %s: %w", key, err)
		}
		o.Kind = alliance.KindSession
		return o, nil
	}
	var lookupErr error
	members := alliance.MembersOf(shared, func(person string) string {
		_, raw, err := db.Ownership(ctx, alliance.KindPerson, person)
		if err != nil {
			if !store.IsNotFound(err) {
				lookupErr = err
			}
			return ""
		}
		var p alliance.Person
		if err := json.Unmarshal(raw, &p); err != nil {
			lookupErr = err
		}
		return p.Member
	})
	if lookupErr != nil {
		return alliance.Owned{}, fmt.Errorf("owner of %s %s: %w", kind, key, lookupErr)
	}
	creator, err := db.Creator(ctx, id)
	if err != nil {
		return alliance.Owned{}, err
	}
	return alliance.Owned{Kind: kind, Members: members, Creator: creator}, nil
}
