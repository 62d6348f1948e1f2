import { Injectable } from '@nestjs/common';
import {
  AssignStaffDto,
  DEFAULT_PAGE_SIZE,
  DomainException,
  EndStaffAssignmentDto,
  ErrorCode,
  GridHierarchyEvents,
  NodeKind,
  Principal,
  ResponsibleQueryDto,
  ResponsibleView,
  Role,
  StaffChangedData,
  StaffListQueryDto,
  StaffListScope,
  StaffPage,
  StaffView,
  newEvent,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertRole } from '@cg/auth';
import { Outbox } from '@cg/messaging';
import { currentCorrelationId } from '@cg/observability';
import { isDuplicateKey, newId, objectId } from '@cg/persistence';
import { Types } from 'mongoose';
import { HierarchyRepository, NodeRecord, StaffRecord } from './hierarchy.repository';
import { HierarchyService } from './hierarchy.service';
import { inForce, positionProblems, seatOf, termProblems } from './staff-terms';
import { StaffAssignment } from './staff.schema';
import { toNodeView, toStaffView } from './views';

const STAFF_READERS = [...COMMUNITY_MANAGERS, Role.GridWorker];

/** Who holds which position where and when: assignments with terms, endings, and who answers for a building. */
@Injectable()
export class StaffService {
  constructor(
    private readonly repository: HierarchyRepository,
    private readonly hierarchy: HierarchyService,
    private readonly outbox: Outbox,
  ) {}

  async assign(caller: Principal, communityId: string, dto: AssignStaffDto): Promise<StaffView> {
    const community = await this.hierarchy.managedCommunity(caller, communityId);
    const node = await this.hierarchy.node(community._id, dto.nodeId, undefined, 'nodeId');
    const since = dto.since ? new Date(dto.since) : new Date();
    const until = dto.until ? new Date(dto.until) : undefined;
    const problems = [...positionProblems(dto.position, node.kind, dto.department), ...termProblems(since, until)];
    if (problems.length > 0) throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The assignment is not valid', problems);
    const assignment: StaffRecord = {
      _id: newId('staff-assignment'),
      communityId: community._id,
      nodeId: node._id,
      position: dto.position,
      name: dto.name,
      ...(dto.personId && { personId: new Types.ObjectId(dto.personId) }),
      ...(dto.accountId && { accountId: dto.accountId }),
      ...(dto.phone && { phone: dto.phone }),
      ...(dto.department && { department: dto.department }),
      since,
      ...(until && { until }),
    };
    const event = newEvent(GridHierarchyEvents.staffChanged, changed(assignment, node.kind, 'assigned'), {
      communityId,
      actor: caller.sub,
      correlationId: currentCorrelationId(),
    });
    // One grid head at a time: the term takes the grid's seat by a unique insert; the term before it gives the seat
    // up when it ends by the time this one starts.
    const seat = seatOf(String(node._id), dto.position, until, new Date());
    if (seat) await this.repository.releaseSeat(seat, since);
    const stored = await this.repository.insertStaff({ ...assignment, ...(seat && { seat }), outbox: [event] }).catch(async (error) => {
      if (!seat || !isDuplicateKey(error)) throw error;
      const holder = await this.repository.seatHolder(seat);
      throw new DomainException(
        ErrorCode.ALREADY_TAKEN,
        `${node.name} already has a ${dto.position.replace('_', ' ')}${holder ? `: ${holder.name}` : ''}; end that term first`,
        [{ field: 'position', reason: `one ${dto.position} per ${node.kind} at a time` }],
      );
    });
    void this.outbox.deliver(StaffAssignment.name, assignment._id);
    return { ...toStaffView(stored), nodeKind: node.kind };
  }

  /**
   * Ends an assignment at `until` (now by default); the record stays as history. The ending is one update guarded
   * by the assignment not being ended yet, so of two people ending it at once exactly one wins.
   */
  async end(caller: Principal, communityId: string, assignmentId: string, dto: EndStaffAssignmentDto): Promise<StaffView> {
    const community = await this.hierarchy.managedCommunity(caller, communityId);
    const id = objectId(assignmentId, ErrorCode.NOT_FOUND);
    const assignment = await this.repository.findStaff(community._id, id);
    if (!assignment) throw new DomainException(ErrorCode.NOT_FOUND, `No staff assignment ${assignmentId} in this community`);
    const now = new Date();
    const until = dto.until ? new Date(dto.until) : now;
    if (assignment.endedAt) throw alreadyEnded(assignment.until ?? assignment.endedAt);
    if (assignment.until && assignment.until.getTime() <= now.getTime()) {
      throw new DomainException(ErrorCode.INVALID_TRANSITION, 'The assignment is already over');
    }
    const problems = termProblems(assignment.since, until);
    if (assignment.until && until.getTime() > assignment.until.getTime()) {
      problems.push({ field: 'until', reason: 'must not be after the end already planned' });
    }
    if (problems.length > 0) throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The end date is not valid', problems);
    const node = await this.repository.findNode({ communityId: community._id, _id: assignment.nodeId });
    const ended = { ...assignment, until };
    const event = newEvent(GridHierarchyEvents.staffChanged, changed(ended, node?.kind ?? NodeKind.Grid, 'ended'), {
      communityId,
      actor: caller.sub,
      correlationId: currentCorrelationId(),
    });
    const end = { until, endedAt: now, endedBy: caller.sub, ...(dto.note && { endNote: dto.note }) };
    if (!(await this.repository.endStaff(community._id, id, end, event))) {
      const winner = await this.repository.findStaff(community._id, id);
      throw alreadyEnded(winner?.until ?? until);
    }
    void this.outbox.deliver(StaffAssignment.name, id);
    return { ...toStaffView(ended), ...(node && { nodeKind: node.kind }) };
  }

  async list(caller: Principal, communityId: string, query: StaffListQueryDto): Promise<StaffPage> {
    const community = await this.hierarchy.community(caller, communityId);
    assertRole(caller, STAFF_READERS);
    const nodeId = query.nodeId ? objectId(query.nodeId, ErrorCode.NODE_NOT_FOUND) : undefined;
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const currentAt = (query.scope ?? StaffListScope.Current) === StaffListScope.Current ? new Date() : undefined;
    const { docs, more } = await this.repository.listStaff(community._id, nodeId, currentAt, query.cursor, limit);
    const kinds = await this.kindsOf(community._id, docs);
    const items = docs.filter((s) => !currentAt || inForce(s, currentAt)).map((s) => ({ ...toStaffView(s), ...(kinds.has(String(s.nodeId)) && { nodeKind: kinds.get(String(s.nodeId)) }) }));
    return more && docs.length > 0 ? { items, nextCursor: String(docs[docs.length - 1]._id) } : { items };
  }

  /** "Who is responsible for building X today": its leaders, and the staff of its grid and residential area. */
  async responsible(caller: Principal, communityId: string, buildingId: string, query: ResponsibleQueryDto): Promise<ResponsibleView> {
    const community = await this.hierarchy.community(caller, communityId);
    const building = await this.hierarchy.node(community._id, buildingId, NodeKind.Building, 'buildingId');
    const at = query.at ? new Date(query.at) : new Date();
    const places = await this.repository.findNodes(community._id, [building.gridId!, building.areaId!]);
    const grid = places.find((n) => n.kind === NodeKind.Grid);
    const area = places.find((n) => n.kind === NodeKind.Area);
    if (!grid || !area) throw new DomainException(ErrorCode.NODE_NOT_FOUND, 'The building points at a grid that no longer exists');
    const staff = await this.repository.currentStaff(community._id, [building._id, grid._id, area._id], at);
    const kindOf = (s: StaffRecord) => [building, grid, area].find((n) => String(n._id) === String(s.nodeId))!.kind;
    return {
      at: at.toISOString(),
      building: toNodeView(building),
      grid: toNodeView(grid),
      area: toNodeView(area),
      staff: staff.map((s) => ({ ...toStaffView(s), nodeKind: kindOf(s) })),
    };
  }

  private async kindsOf(communityId: Types.ObjectId, staff: StaffRecord[]): Promise<Map<string, NodeKind>> {
    const ids = [...new Map(staff.map((s) => [String(s.nodeId), s.nodeId])).values()];
    const nodes: NodeRecord[] = ids.length ? await this.repository.findNodes(communityId, ids) : [];
    return new Map(nodes.map((n) => [String(n._id), n.kind]));
  }
}

function alreadyEnded(until: Date): DomainException {
  return new DomainException(ErrorCode.INVALID_TRANSITION, `The assignment was already ended at ${until.toISOString()}`);
}

function changed(staff: StaffRecord, nodeKind: NodeKind, change: StaffChangedData['change']): StaffChangedData {
  return {
    assignmentId: String(staff._id),
    change,
    nodeId: String(staff.nodeId),
    nodeKind,
    position: staff.position,
    name: staff.name,
    ...(staff.personId && { personId: String(staff.personId) }),
    ...(staff.department && { department: staff.department }),
    since: staff.since.toISOString(),
    ...(staff.until && { until: staff.until.toISOString() }),
  };
}
