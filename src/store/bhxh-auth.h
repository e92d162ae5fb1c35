/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BHXH_AUTH_ERROR (bhxh_auth_error_quark ())

/**
 * BhxhAuthError:
 * @BHXH_AUTH_ERROR_FAILED: wrong login or password
 * @BHXH_AUTH_ERROR_LOCKED: too many failures: the account is locked for a while
 * @BHXH_AUTH_ERROR_NO_PASSWORD: the account has no password yet
 * @BHXH_AUTH_ERROR_WEAK_PASSWORD: a new password is too short, too long or not text
 * @BHXH_AUTH_ERROR_REQUIRED: the database needs a signed-in user for this
 * @BHXH_AUTH_ERROR_FORBIDDEN: the signed-in user's role does not allow this
 * @BHXH_AUTH_ERROR_INTERNAL: the hashing library failed (out of memory)
 * @BHXH_AUTH_ERROR_DISABLED: an admin disabled the account
 */
typedef enum
{
  BHXH_AUTH_ERROR_FAILED,
  BHXH_AUTH_ERROR_LOCKED,
  BHXH_AUTH_ERROR_NO_PASSWORD,
  BHXH_AUTH_ERROR_WEAK_PASSWORD,
  BHXH_AUTH_ERROR_REQUIRED,
  BHXH_AUTH_ERROR_FORBIDDEN,
  BHXH_AUTH_ERROR_INTERNAL,
  BHXH_AUTH_ERROR_DISABLED,
} BhxhAuthError;

/* Roles, weakest first: each can do what the ones before it can. */
typedef enum
{
  BHXH_ROLE_NONE,
  BHXH_ROLE_CLERK,
  BHXH_ROLE_SUPERVISOR,
  BHXH_ROLE_ADMIN,
} BhxhRole;

#define BHXH_AUTH_MIN_PASSWORD_CHARS 8
#define BHXH_AUTH_MAX_PASSWORD_BYTES 1024

GQuark      bhxh_auth_error_quark      (void);

BhxhRole    bhxh_role_parse            (const char  *text);
const char *bhxh_role_to_string        (BhxhRole     role);
const char *bhxh_role_to_label         (BhxhRole     role);

gboolean    bhxh_auth_check_password   (const char  *password,
                                        GError     **error);
char       *bhxh_auth_hash_password    (const char  *password,
                                        GError     **error);
gboolean    bhxh_auth_verify_password  (const char  *hash,
                                        const char  *password);
gboolean    bhxh_auth_needs_rehash     (const char  *hash);
void        bhxh_auth_burn_time        (const char  *password);

G_END_DECLS
