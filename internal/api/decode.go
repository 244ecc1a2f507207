package api

import (
	"encoding/json"
	"fmt"

	"github.com/alliance-platform/alliance"
)

// The store returns items in their storage form, with the shared and translated fields as
// JSON. This file is the only place the API decodes them, into the kind's Go types, so that
// a store returning typed items changes these two functions and nothing else. The API writes
// what the types hold, re-encoded: its fields are exactly the types' (and the document's
// schemas, generated from the same types).

// sharedOf decodes it's shared fields into its kind's type.
func sharedOf(it *alliance.Item) (alliance.Shared, error) {
	info, ok := alliance.InfoOf(it.Kind)
	if !ok {
		return nil, fmt.Errorf("%s %s: unknown kind", it.Kind, it.Key)
	}
	v := info.NewShared()
	if len(it.Shared) > 0 {
		if err := json.Unmarshal(it.Shared, v); err != nil {
			return nil, fmt.Errorf("%s %s: shared fields: %w", it.Kind, it.Key, err)
		}
	}
	return v, nil
}

// textFieldsOf decodes the translated fields of t, a text of an item of kind, into the kind's
// type.
func textFieldsOf(kind alliance.Kind, key string, t *alliance.Text) (any, error) {
	info, ok := alliance.InfoOf(kind)
	if !ok {
		return nil, fmt.Errorf("%s %s: unknown kind", kind, key)
	}
	v := info.NewText()
	if len(t.Fields) > 0 {
		if err := json.Unmarshal(t.Fields, v); err != nil {
			return nil, fmt.Errorf("%s %s: %s fields: %w", kind, key, t.Lang, err)
		}
	}
	return v, nil
}
