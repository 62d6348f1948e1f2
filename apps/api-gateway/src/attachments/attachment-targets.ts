import {
  ActivitiesRpc,
  AnnouncementsRpc,
  AttachmentKind,
  ConsultationRpc,
  GridCaseRpc,
  PropertyServiceRpc,
  Role,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';

/** What photos can be attached to, and how the gateway learns whether the caller may see it. */
export interface AttachmentTarget {
  kind: AttachmentKind;
  /** The object in words, for summaries and messages. */
  noun: string;
  /** The OpenAPI tag of the object's other routes. */
  tag: string;
  /** Name of the path parameter that holds the object's id, as on the object's own routes. */
  param: string;
  /** Case photos are before or after the work; other objects' photos have no stage. */
  staged: boolean;
  /** Who may delete anyone's photo of the object; the uploader may always delete their own. */
  staff: Role[];
  /** Who may upload; absent means anyone who may see the object. */
  uploaders?: Role[];
  /** Asks the owning service for the object with the caller's scope; throws as the service answers (404, 403). */
  find(rpc: RpcClient, communityId: string, objectId: string): Promise<unknown>;
}

const MANAGERS = [Role.CommunityStaff, Role.DistrictAdmin];

export const ATTACHMENT_TARGETS: AttachmentTarget[] = [
  {
    kind: AttachmentKind.Case,
    noun: 'case',
    tag: 'grid',
    param: 'caseId',
    staged: true,
    staff: [Role.GridWorker, ...MANAGERS],
    find: (rpc, communityId, caseId) => rpc.send(GridCaseRpc.get, { communityId, caseId }),
  },
  {
    kind: AttachmentKind.MicroWish,
    noun: 'micro-wish',
    tag: 'activities',
    param: 'wishId',
    staged: false,
    staff: MANAGERS,
    find: (rpc, communityId, wishId) => rpc.send(ActivitiesRpc.getMicroWish, { communityId, wishId }),
  },
  {
    kind: AttachmentKind.Announcement,
    noun: 'announcement',
    tag: 'activities',
    param: 'announcementId',
    staged: false,
    staff: MANAGERS,
    uploaders: MANAGERS,
    find: (rpc, communityId, announcementId) => rpc.send(AnnouncementsRpc.get, { communityId, announcementId }),
  },
  {
    kind: AttachmentKind.ServiceRequest,
    noun: 'property service request',
    tag: 'property',
    param: 'requestId',
    staged: false,
    staff: [Role.PropertyManager, ...MANAGERS],
    find: (rpc, communityId, requestId) => rpc.send(PropertyServiceRpc.getRequest, { communityId, requestId }),
  },
  {
    kind: AttachmentKind.Consultation,
    noun: 'consultation',
    tag: 'property',
    param: 'consultationId',
    staged: false,
    staff: [Role.OwnersCommitteeMember, ...MANAGERS],
    find: (rpc, communityId, consultationId) => rpc.send(ConsultationRpc.get, { communityId, consultationId }),
  },
];
