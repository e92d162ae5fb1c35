/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BHXH_SYNC_ERROR (bhxh_sync_error_quark ())

/**
 * BhxhSyncError:
 * @BHXH_SYNC_ERROR_UNREACHABLE: the portal could not be reached, even after retries
 * @BHXH_SYNC_ERROR_TLS: the portal's certificate or ours was refused
 * @BHXH_SYNC_ERROR_UNAUTHORIZED: the workstation token was refused
 * @BHXH_SYNC_ERROR_SUSPENDED: the workstation's account is suspended
 * @BHXH_SYNC_ERROR_HTTP: the portal answered with an unexpected status
 * @BHXH_SYNC_ERROR_PROTOCOL: the portal's answer does not follow the contract
 * @BHXH_SYNC_ERROR_CANCELLED: the operation was cancelled
 * @BHXH_SYNC_ERROR_BUSY: another synchronisation of this database is running
 * @BHXH_SYNC_ERROR_BAD_BUNDLE: a bundle file is malformed
 * @BHXH_SYNC_ERROR_BAD_SIGNATURE: a bundle's signature does not match
 * @BHXH_SYNC_ERROR_CLAIMED: another clerk holds the declaration
 * @BHXH_SYNC_ERROR_IO: a local file could not be read or written
 * @BHXH_SYNC_ERROR_INSECURE: the portal's address is not https (plain http is for loopback only)
 * @BHXH_SYNC_ERROR_NOT_ENROLLED: no portal is set for this counter
 * @BHXH_SYNC_ERROR_AUDIT_BROKEN: the portal found the uploaded audit trail altered
 * @BHXH_SYNC_ERROR_BUNDLE_ELSEWHERE: a bundle was made for another workstation
 * @BHXH_SYNC_ERROR_BUNDLE_EXPIRED: a bundle's expiry has passed
 * @BHXH_SYNC_ERROR_BUNDLE_STALE: a bundle is not newer than the last one installed
 *   (replayed, or older than what the counter has: a rollback)
 *
 * Errors of the portal synchronisation. Messages are translated and fit
 * to show to the clerk.
 */
typedef enum
{
  BHXH_SYNC_ERROR_UNREACHABLE,
  BHXH_SYNC_ERROR_TLS,
  BHXH_SYNC_ERROR_UNAUTHORIZED,
  BHXH_SYNC_ERROR_SUSPENDED,
  BHXH_SYNC_ERROR_HTTP,
  BHXH_SYNC_ERROR_PROTOCOL,
  BHXH_SYNC_ERROR_CANCELLED,
  BHXH_SYNC_ERROR_BUSY,
  BHXH_SYNC_ERROR_BAD_BUNDLE,
  BHXH_SYNC_ERROR_BAD_SIGNATURE,
  BHXH_SYNC_ERROR_CLAIMED,
  BHXH_SYNC_ERROR_IO,
  BHXH_SYNC_ERROR_INSECURE,
  BHXH_SYNC_ERROR_NOT_ENROLLED,
  BHXH_SYNC_ERROR_AUDIT_BROKEN,
  BHXH_SYNC_ERROR_BUNDLE_ELSEWHERE,
  BHXH_SYNC_ERROR_BUNDLE_EXPIRED,
  BHXH_SYNC_ERROR_BUNDLE_STALE,
} BhxhSyncError;

GQuark bhxh_sync_error_quark (void);

G_END_DECLS
