package store_test

import (
	"context"
	"errors"
	"io"
	"slices"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// Every read that loses its connection to PostgreSQL says the database is unavailable (the
// site answers 503), wherever pgx reports it: from the query, or from the rows as they are read
// (a connection used a moment before is not checked before its next query, and a prepared
// statement is not prepared again, so the loss shows only in the rows).
func TestLostDatabaseMakesEveryReadUnavailable(t *testing.T) {
	if !slices.Contains(storetest.Dialects(), store.Postgres) {
		t.Skip("needs PostgreSQL: set " + storetest.EnvURL)
	}
	ctx := context.Background()
	proxy, viaProxy := storetest.NewProxy(t, storetest.NewURL(t, store.Postgres))
	db := storetest.Open(t, viaProxy)
	save(t, db, story("a", "2026-01-01", "x", "en", "fr"), story("b", "2026-02-01", "y", "en"))
	saveMedia(t, db, media("docs/big.pdf", "application/pdf", randomBytes(2*store.MediaChunkSize, 5)))
	ca := cardOf(t, db, "a")
	pdf, err := db.Media(ctx, "docs/big.pdf")
	if err != nil {
		t.Fatal(err)
	}
	stories := store.Query{Kind: alliance.KindStory, Facets: []alliance.Facet{{Name: "category", Value: "x"}}, Order: store.Newest, Lang: "en"}
	reads := []struct {
		name string
		read func() error
	}{
		{"FacetValues", func() error { _, err := db.FacetValues(ctx, alliance.KindStory, "category"); return err }},
		{"List", func() error { _, err := db.List(ctx, stories); return err }},
		{"Count", func() error { _, err := db.Count(ctx, stories); return err }},
		{"Item", func() error { _, err := db.Item(ctx, alliance.KindStory, "a"); return err }},
		{"ByKeys", func() error { _, err := db.ByKeys(ctx, alliance.KindStory, []string{"a", "b"}, "en"); return err }},
		{"FrameDetail", func() error {
			_, _, _, _, err := db.FrameDetail(ctx, "en", nil, alliance.KindStory, "a-en")
			return err
		}},
		{"Frame", func() error { _, _, err := db.Frame(ctx, "en"); return err }},
		{"CardParts", func() error { _, err := db.CardParts(ctx, "en", store.Older(ca), store.Newer(ca)); return err }},
		{"Batch", func() error { _, err := db.Batch(ctx, "en", store.Select(stories)); return err }},
		{"Site", func() error { _, err := db.Site(ctx); return err }},
		{"Keys", func() error { _, err := db.Keys(ctx); return err }},
		{"Media", func() error { _, err := db.Media(ctx, "docs/big.pdf"); return err }},
		{"MediaInfo", func() error { _, err := db.MediaInfo(ctx, []string{"docs/big.pdf"}); return err }},
		{"MediaPaths", func() error { _, err := db.MediaPaths(ctx); return err }},
		{"MediaReader", func() error { _, err := io.Copy(io.Discard, db.MediaReader(ctx, pdf)); return err }},
	}
	proxy.Stop()
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			if err := proxy.Start(); err != nil {
				t.Fatal(err)
			}
			defer proxy.Stop()
			// Until it succeeds twice in a row (the pool drops the connections the last stop
			// cut as it meets them): the statement is prepared, and the connection just used.
			for ok, tries := 0, 0; ok < 2; tries++ {
				if err := r.read(); err != nil {
					if tries > 50 {
						t.Fatalf("with the database there: %v", err)
					}
					ok = 0
					continue
				}
				ok++
			}
			proxy.Stop()
			if err := r.read(); !errors.Is(err, alliance.ErrUnavailable) {
				t.Errorf("with the database gone: %v, want it marked unavailable", err)
			}
		})
	}
}
