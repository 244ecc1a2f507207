package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/media"
)

// PutMedia keeps the file path with the bytes data, whoever brings it (an import, an editor's
// upload): it checks the file with media.Inspect (a *media.Problem when refused), saves it, and
// makes the smaller copies of a raster image that pages offer in srcset, replacing any the
// path had. A file whose bytes are stored already under path is left as it is.
func (tx *Tx) PutMedia(ctx context.Context, path string, data []byte, lim media.Limits) (*alliance.Media, error) {
	info, err := media.Inspect(path, data, lim)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	m := &alliance.Media{Path: path, ContentType: info.ContentType, Size: int64(len(data)),
		SHA256: hex.EncodeToString(sum[:]), Data: data, Width: info.Width, Height: info.Height}
	var stored string
	err = tx.tx.QueryRowContext(ctx, `SELECT sha256 FROM media WHERE path = $1`, path).Scan(&stored)
	if err == nil && stored == m.SHA256 {
		return m, nil
	}
	if err := tx.SaveMedia(ctx, m); err != nil {
		return nil, err
	}
	variants, err := media.Variants(info, data, media.Widths)
	if err != nil {
		return nil, fmt.Errorf("save media %s: %w", path, err)
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM media_variants WHERE path = $1`, path); err != nil {
		return nil, fmt.Errorf("save media %s: %w", path, markUnavailable(err))
	}
	for _, v := range variants {
		if err := tx.saveVariant(ctx, path, v); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (tx *Tx) saveVariant(ctx context.Context, path string, v media.Variant) error {
	if _, err := tx.tx.ExecContext(ctx, `INSERT INTO media_variants (path, width, height, content_type, data) VALUES ($1, $2, $3, $4, $5)`,
		path, v.Width, v.Height, v.ContentType, v.Data); err != nil {
		return fmt.Errorf("save media %s at %d pixels: %w", path, v.Width, markUnavailable(err))
	}
	return nil
}

// Variants returns the smaller copies of the image at path, narrowest first, without their
// bytes when withData is false (what a page needs for srcset).
func (db *DB) Variants(ctx context.Context, path string, withData bool) ([]media.Variant, error) {
	cols := `width, height, content_type, ''`
	if withData {
		cols = `width, height, content_type, data`
	}
	rows, err := db.query(ctx, `SELECT `+cols+` FROM media_variants WHERE path = $1 ORDER BY width`, path)
	if err != nil {
		return nil, fmt.Errorf("media variants of %s: %w", path, err)
	}
	defer rows.Close()
	var out []media.Variant
	for rows.Next() {
		var v media.Variant
		var data []byte
		if err := rows.Scan(&v.Width, &v.Height, &v.ContentType, &data); err != nil {
			return nil, fmt.Errorf("media variants of %s: %w", path, err)
		}
		if withData {
			v.Data = data
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("media variants of %s: %w", path, err)
	}
	return out, nil
}

// copyVariants copies the smaller copies of the image at path from src, as they are.
func (tx *Tx) copyVariants(ctx context.Context, src *DB, path string) error {
	vs, err := src.Variants(ctx, path, true)
	if err != nil {
		return err
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM media_variants WHERE path = $1`, path); err != nil {
		return fmt.Errorf("copy media %s: %w", path, markUnavailable(err))
	}
	for _, v := range vs {
		if err := tx.saveVariant(ctx, path, v); err != nil {
			return err
		}
	}
	return nil
}
