/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "bhxh-auth.h"

/* Password hashing: libsodium's crypto_pwhash_str, argon2id, with the
 * "interactive" limits (2 passes over 64 MiB, ~0.1 s on a counter PC; see
 * docs/security.md). The parameters are stored in each hash, so a later
 * change of limits still verifies old hashes, and bhxh_auth_needs_rehash()
 * tells when to re-hash at the next sign-in.
 *
 * Tests only, in builds with the test_hooks option: BHXH_DESK_TEST_FAST_HASH=1
 * selects the minimum limits for new hashes, so a test that signs in a
 * hundred times still runs in a second. Release builds ignore it. A stored
 * hash is never re-hashed to weaker limits than it has. */

static gboolean
init_sodium (void)
{
  static gsize done = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&done))
    {
      ok = sodium_init () >= 0;
      g_once_init_leave (&done, 1);
    }

  return ok;
}

static gboolean
fast_hash (void)
{
#if BHXH_TEST_HOOKS
  return g_strcmp0 (g_getenv ("BHXH_DESK_TEST_FAST_HASH"), "1") == 0;
#else
  return FALSE;
#endif
}

static void
get_limits (unsigned long long *ops,
            size_t             *mem)
{
  if (fast_hash ())
    {
      *ops = crypto_pwhash_OPSLIMIT_MIN;
      *mem = crypto_pwhash_MEMLIMIT_MIN;
    }
  else
    {
      *ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      *mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    }
}

/**
 * bhxh_auth_check_password:
 *
 * A new password is valid UTF-8, at least %BHXH_AUTH_MIN_PASSWORD_CHARS
 * characters and at most %BHXH_AUTH_MAX_PASSWORD_BYTES bytes.
 */
gboolean
bhxh_auth_check_password (const char  *password,
                          GError     **error)
{
  if (password == NULL || !g_utf8_validate (password, -1, NULL))
    {
      g_set_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_WEAK_PASSWORD,
                   _("The password is not valid text"));
      return FALSE;
    }
  if (g_utf8_strlen (password, -1) < BHXH_AUTH_MIN_PASSWORD_CHARS)
    {
      g_set_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_WEAK_PASSWORD,
                   _("The password needs at least %d characters"),
                   BHXH_AUTH_MIN_PASSWORD_CHARS);
      return FALSE;
    }
  if (strlen (password) > BHXH_AUTH_MAX_PASSWORD_BYTES)
    {
      g_set_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_WEAK_PASSWORD,
                   _("The password is too long (at most %d bytes)"),
                   BHXH_AUTH_MAX_PASSWORD_BYTES);
      return FALSE;
    }

  return TRUE;
}

/**
 * bhxh_auth_hash_password:
 *
 * Returns: (transfer full): an argon2id hash string ("$argon2id$v=19$…"),
 *   or %NULL with @error set
 */
char *
bhxh_auth_hash_password (const char  *password,
                         GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];
  unsigned long long ops;
  size_t mem;

  if (!bhxh_auth_check_password (password, error))
    return NULL;
  get_limits (&ops, &mem);
  if (!init_sodium () ||
      crypto_pwhash_str_alg (hash, password, strlen (password), ops, mem,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_INTERNAL,
                   _("Cannot hash the password (out of memory?)"));
      return NULL;
    }

  return g_strdup (hash);
}

/* Constant time in the password: the hash's parameters set the cost. */
gboolean
bhxh_auth_verify_password (const char *hash,
                           const char *password)
{
  if (hash == NULL || password == NULL || !init_sodium ())
    return FALSE;

  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

/**
 * bhxh_auth_needs_rehash:
 * @hash: a stored hash
 *
 * A hash needs re-hashing when it is not argon2id, or when its memory or
 * its passes are below the current limits. One at or above them never
 * does: a password is never re-hashed to weaker parameters than it has.
 *
 * Returns: whether to re-hash at the next successful sign-in
 */
gboolean
bhxh_auth_needs_rehash (const char *hash)
{
  unsigned long long ops, t = 0;
  unsigned long m_kib = 0;
  unsigned int p = 0;
  size_t mem;

  if (hash == NULL || !init_sodium ())
    return FALSE;
  get_limits (&ops, &mem);
  if (sscanf (hash, "$argon2id$v=19$m=%lu,t=%llu,p=%u$", &m_kib, &t, &p) != 3)
    return TRUE;

  return (guint64) m_kib * 1024 < mem || t < ops;
}

/* Spends the time a real verification would, so that an unknown login
 * cannot be told apart from a wrong password by the time the answer takes. */
void
bhxh_auth_burn_time (const char *password)
{
  static gsize done = 0;
  static char *dummy = NULL;

  if (g_once_init_enter (&done))
    {
      dummy = bhxh_auth_hash_password ("not-a-password-of-anyone", NULL);
      g_once_init_leave (&done, 1);
    }
  if (dummy != NULL && password != NULL)
    bhxh_auth_verify_password (dummy, password);
}
