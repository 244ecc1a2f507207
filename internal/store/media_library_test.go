package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/jpeg"
	"strconv"
	"testing"

	"github.com/alliance-platform/alliance"
	mediapkg "github.com/alliance-platform/alliance/internal/media"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// Upload keeps a file with its uploader, copies and audit line; refuses another file under a
// stored path and a refused file's bytes; RemoveMedia refuses while an item shows the file,
// then deletes and audits. On both databases.
func TestMediaUploadAndRemove(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		var b bytes.Buffer
		if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, 1000, 500)), nil); err != nil {
			t.Fatal(err)
		}
		photo := b.Bytes()
		ana := alliance.Change{UserID: 5, UserName: "Ana", Addr: "192.0.2.1"}
		upload := func(path string, data []byte) (bool, error) {
			var kept bool
			err := db.Update(ctx, func(tx *store.Tx) error {
				var err error
				_, kept, err = tx.Upload(ctx, path, data, mediapkg.DefaultLimits, ana)
				return err
			})
			return kept, err
		}
		if kept, err := upload("images/p.jpg", photo); err != nil || !kept {
			t.Fatalf("upload = %v, %v", kept, err)
		}
		if kept, err := upload("images/p.jpg", photo); err != nil || kept {
			t.Errorf("the same bytes again = %v, %v; want no change", kept, err)
		}
		if _, err := upload("images/p.jpg", append([]byte{}, photo[:len(photo)-2]...)); !errors.Is(err, store.ErrExists) {
			t.Errorf("other bytes under a stored path: %v", err)
		}
		var prob *mediapkg.Problem
		if _, err := upload("images/x.jpg", []byte("<html></html>")); !errors.As(err, &prob) || prob.Code != "mismatch" {
			t.Errorf("HTML named .jpg: %v", err)
		}
		if _, err := upload("files/r.pdf", []byte("%PDF-1.4\n%%EOF\n")); err != nil {
			t.Fatal(err)
		}
		list, total, err := db.MediaList(ctx, 0, 10)
		if err != nil || total != 2 || len(list) != 2 {
			t.Fatalf("list = %d of %d, %v", len(list), total, err)
		}
		for _, e := range list {
			if e.UserID != 5 || e.UserName != "Ana" || e.Thumb != (e.Path == "images/p.jpg") {
				t.Errorf("listed %+v", e)
			}
		}
		size, ctype, found, err := db.VariantInfo(ctx, "images/p.jpg", 960)
		data, err2 := db.Variant(ctx, "images/p.jpg", 960)
		if err != nil || err2 != nil || !found || ctype != "image/jpeg" || size != int64(len(data)) {
			t.Errorf("copy at 960: %d %s %v %v %v, %d bytes", size, ctype, found, err, err2, len(data))
		}
		if _, _, found, err := db.VariantInfo(ctx, "images/p.jpg", 1600); found || err != nil {
			t.Errorf("a copy wider than the image: %v %v", found, err)
		}
		log, err := db.AuditLog(ctx, store.AuditQuery{Action: store.AuditMediaUploaded})
		if err != nil || len(log) != 2 || log[1].Subject != "images/p.jpg" || log[1].ActorID != 5 || log[1].Addr != "192.0.2.1" ||
			log[1].Detail != "image/jpeg, "+strconv.Itoa(len(photo))+" bytes, 1000×500" {
			t.Errorf("audit: %+v, %v", log, err)
		}

		// A story shows the image: the file stays.
		st := story("with-photo", "2026-01-02", "research", "en")
		var shared alliance.Story
		json.Unmarshal(st.Shared, &shared)
		shared.Image = "images/p.jpg"
		st.Shared, _ = json.Marshal(&shared)
		st.Texts[0].Fields = json.RawMessage(`{"alt":"A photograph"}`)
		shared.Index(st)
		save(t, db, st)
		var users []string
		err = db.Update(ctx, func(tx *store.Tx) error {
			users, err = tx.RemoveMedia(ctx, "images/p.jpg", ana)
			return err
		})
		if err != nil || len(users) != 1 || users[0] != "story/with-photo" {
			t.Errorf("removing a file in use: %v, %v", users, err)
		}
		if _, err := db.Media(ctx, "images/p.jpg"); err != nil {
			t.Errorf("a file in use was removed: %v", err)
		}
		err = db.Update(ctx, func(tx *store.Tx) error {
			users, err = tx.RemoveMedia(ctx, "files/r.pdf", ana)
			return err
		})
		if err != nil || len(users) != 0 {
			t.Fatalf("remove: %v, %v", users, err)
		}
		if _, err := db.Media(ctx, "files/r.pdf"); !store.IsNotFound(err) {
			t.Errorf("removed file: %v", err)
		}
		err = db.Update(ctx, func(tx *store.Tx) error { _, err := tx.RemoveMedia(ctx, "files/r.pdf", ana); return err })
		if !store.IsNotFound(err) {
			t.Errorf("removing again: %v", err)
		}
		if log, err := db.AuditLog(ctx, store.AuditQuery{Action: store.AuditMediaDeleted}); err != nil || len(log) != 1 || log[0].Subject != "files/r.pdf" {
			t.Errorf("delete audit: %+v, %v", log, err)
		}
	})
}
