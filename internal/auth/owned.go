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
	creator, err := db.Creator(ctx, id)
	if err != nil {
		return alliance.Owned{}, err
	}
	o, err := OwnedShared(ctx, db, kind, shared, creator)
	if err != nil {
		return alliance.Owned{}, fmt.Errorf("owner of %s %s: %w", kind, key, err)
	}
	return o, nil
}

// OwnedShared is what alliance.Can knows of an item of kind with the shared fields shared,
// stored or about to be saved, created by creator: the members it belongs to (its authors'
// through their person items, for a story or resource) or, for a session, its event's owners.
// A reference to nothing gives no owner: the write path refuses such an item anyway.
func OwnedShared(ctx context.Context, db *store.DB, kind alliance.Kind, shared alliance.Shared, creator int64) (alliance.Owned, error) {
	if s, ok := shared.(*alliance.Session); ok {
		if s.Event == "" {
			return alliance.Owned{Kind: kind, Creator: creator}, nil
		}
		o, err := Owned(ctx, db, alliance.KindEvent, s.Event)
		if store.IsNotFound(err) {
			return alliance.Owned{Kind: kind}, nil
		}
		o.Kind = kind
		return o, err
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
		return alliance.Owned{}, lookupErr
	}
	return alliance.Owned{Kind: kind, Members: members, Creator: creator}, nil
}
