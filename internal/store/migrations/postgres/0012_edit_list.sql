-- The back office's list of a kind (store.EditList): see migrations/sqlite/0012_edit_list.sql.
CREATE INDEX items_kind_updated ON items (kind, updated, id);
