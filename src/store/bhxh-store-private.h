/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "bhxh-store.h"
#include "bhxh-auth.h"

G_BEGIN_DECLS

#define BHXH_STORE_RESOURCE_PREFIX "/vn/bhxh/Desk/store/migrations/"

struct _BhxhStore
{
  GObject     parent_instance;

  char       *path;
  char       *mirror_path;
  guint64     mirror_dev;   /* the mirror file attached: a new import */
  guint64     mirror_ino;   /* by another connection replaces it */
  sqlite3    *db;
  GHashTable *statements;   /* SQL text → sqlite3_stmt*, prepared once */
  const guint8 *audit_key;  /* the store key's audit subkey; NULL in clear */
  gboolean    audit_key_stale;  /* the trail is keyed by a previous key */
  guint       tx_depth;     /* open transactions: > 1 are savepoints in a batch */
};

/* Encrypted stores: the audit chain's key, from the store key. */
void          _bhxh_store_set_audit_key    (BhxhStore     *self,
                                            const guint8  *key);
/* After a rekey: checks the keyed trail under @old_key, keys it again
 * under the store's; nothing to do when that was done already. */
gboolean      _bhxh_store_audit_rekey      (BhxhStore     *self,
                                            const guint8  *old_key,
                                            GError       **error);

/* The mirror person of a declaration: by mã số BHXH first, else the
 * first person with the ID number; %NULL (error unset) when none. */
BhxhPerson   *_bhxh_store_lookup_person    (BhxhStore     *self,
                                            const char    *bhxh_code,
                                            const char    *id_number,
                                            GError       **error);

/* Statements: prepared once per SQL text, handed out reset and unbound. */
sqlite3_stmt *_bhxh_store_prepare          (BhxhStore     *self,
                                            const char    *sql,
                                            GError       **error);
void          _bhxh_store_forget_statements (BhxhStore    *self);
gboolean      _bhxh_store_exec             (BhxhStore     *self,
                                            const char    *sql,
                                            GError       **error);
/* One statement, its values quoted by sqlite3_mprintf (%Q). */
gboolean      _bhxh_store_exec_printf      (BhxhStore     *self,
                                            GError       **error,
                                            const char    *format,
                                            ...);
gboolean      _bhxh_store_step_done        (BhxhStore     *self,
                                            sqlite3_stmt  *stmt,
                                            GError       **error);

/* Transactions: BEGIN IMMEDIATE / COMMIT / ROLLBACK (never fails). */
gboolean      _bhxh_store_begin            (BhxhStore     *self,
                                            GError       **error);
gboolean      _bhxh_store_commit           (BhxhStore     *self,
                                            GError       **error);
void          _bhxh_store_rollback         (BhxhStore     *self);

/* Maps an sqlite result code to a BhxhStoreError and sets @error. */
void          _bhxh_store_set_error        (GError       **error,
                                            sqlite3       *db,
                                            int            rc,
                                            const char    *what);
int           _bhxh_store_error_code       (int            rc);

GBytes       *_bhxh_store_lookup_sql       (const char    *name);

/* Binding helpers: NULL or "" bind SQL NULL. */
void          _bhxh_bind_text              (sqlite3_stmt  *stmt,
                                            int            index,
                                            const char    *text);
void          _bhxh_bind_date              (sqlite3_stmt  *stmt,
                                            int            index,
                                            const BhxhDate *date);
void          _bhxh_bind_time              (sqlite3_stmt  *stmt,
                                            int            index,
                                            GDateTime     *time);
char         *_bhxh_column_dup             (sqlite3_stmt  *stmt,
                                            int            column);
BhxhDate      _bhxh_column_date            (sqlite3_stmt  *stmt,
                                            int            column);
GDateTime    *_bhxh_column_time            (sqlite3_stmt  *stmt,
                                            int            column);

/* Mirror. */
gboolean      _bhxh_store_attach_mirror    (BhxhStore     *self,
                                            GError       **error);
gboolean      _bhxh_store_detach_mirror    (BhxhStore     *self,
                                            GError       **error);
void          _bhxh_store_refresh_mirror   (BhxhStore     *self);
/* Made with the table, before the load (bhxh-store-mirror-import.c). */
#define BHXH_MIRROR_LEGACY_INDEX_SQL \
  "CREATE INDEX persons_legacy_bhxh_code ON persons (legacy_bhxh_code) " \
  "WHERE legacy_bhxh_code IS NOT NULL"
gboolean      _bhxh_mirror_file_is_snapshot (const char   *file,
                                             int           fd);
gboolean      _bhxh_store_build_mirror_from_snapshot (BhxhStore     *self,
                                                      const char    *file,
                                                      const char    *signature,
                                                      const char    *new_path,
                                                      const char    *vfs,
                                                      const char    *wanted_version,
                                                      GCancellable  *cancellable,
                                                      char         **version,
                                                      guint64       *rows,
                                                      GError       **error);
BhxhPerson   *_bhxh_person_from_row        (sqlite3_stmt  *stmt,
                                            int            first);
char         *_bhxh_store_fold             (const char    *text,
                                            gssize         len);
const char   *_bhxh_store_fold_into        (GString       *out,
                                            const char    *text,
                                            gsize          len);
#define BHXH_PERSON_COLUMNS \
  "p.bhxh_code, p.id_number, p.old_id_number, p.full_name, p.birth_date, p.sex, " \
  "p.address, p.office_code, p.account_status, p.account_since, p.legacy_bhxh_code"

/* Local accounts: the status last approved at this counter under any of
 * @codes (at most 4), else NULL. */
char         *_bhxh_store_dup_local_account (BhxhStore          *self,
                                             const char * const *codes);

/* Audit, inside the caller's transaction. */
gboolean      _bhxh_store_audit_append     (BhxhStore     *self,
                                            const char    *actor,
                                            const char    *action,
                                            const char    *object,
                                            const char    *detail,
                                            GError       **error);
gboolean      _bhxh_store_audit_append_full (BhxhStore     *self,
                                            const char    *actor,
                                            const char    *action,
                                            const char    *object,
                                            const char    *detail,
                                            gboolean        head,
                                            GError       **error);

/* Portrait photos (bhxh-store-portraits.c), inside the import's transaction. */
gboolean      _bhxh_store_import_portrait_ref (BhxhStore  *self,
                                               const char *id,
                                               JsonObject *object,
                                               GError    **error);

/* Roles (bhxh-store-users.c): TRUE outside "accounts required" mode. */
gboolean      _bhxh_store_require_role     (BhxhStore     *self,
                                            const char    *actor,
                                            BhxhRole       role,
                                            GError       **error);
char         *_bhxh_store_dup_actor        (BhxhStore     *self,
                                            const char    *fallback);


/* Declarations. */
#define BHXH_DECLARATION_COLUMNS \
  "d.id, d.kind, d.status, d.office_code, d.submitted_at, d.confirmed_at, " \
  "d.full_name, d.bhxh_code, d.id_number, d.birth_date, d.sex, d.address, " \
  "d.province_code, d.district_code, d.commune_code, d.contact_person, d.email, " \
  "d.phone, d.cert_number, d.cert_issuer, d.cert_valid_from, d.cert_valid_to, " \
  "d.start_date, d.channel, d.ivan_name, d.stop_reason, d.handin, " \
  "d.guardian_bhxh_code, d.guardian_id_number, d.employer, d.guardian_name"
BhxhDeclaration *_bhxh_declaration_from_row (sqlite3_stmt *stmt);

G_END_DECLS
