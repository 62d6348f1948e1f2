import {
  ArgumentMetadata,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  PipeTransform,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
  Type,
  applyDecorators,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { DomainException, ErrorCode, PhotoPage, PhotoStage, PhotoUploadDto, PhotoView, Principal } from '@cg/contracts';
import type { MultipartFile } from '@fastify/multipart';
import { isMongoId } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { CurrentPrincipal, Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { AttachmentTarget } from './attachment-targets';
import { PhotoContent, PhotoOwner, PhotosService } from './photos.service';

const STORED_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
/** Photos never change under their id; a cached copy stays right until the photo is deleted. */
const CACHE_CONTROL = 'private, max-age=3600';

class ObjectIdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!isMongoId(value)) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The request is not valid', [
        { field: metadata.data ?? 'id', reason: `${metadata.data} must be a mongodb id` },
      ]);
    }
    return value;
  }
}

/** The one file part of a multipart/form-data upload, read whole up to `maxBytes`. */
async function readPhotoPart(request: FastifyRequest, maxBytes: number): Promise<Buffer> {
  if (!request.isMultipart()) {
    throw new DomainException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Send the photo as multipart/form-data with one file part');
  }
  let part: MultipartFile | undefined;
  try {
    part = await request.file({ limits: { fileSize: maxBytes, files: 1 } });
    if (part) return await part.toBuffer();
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new DomainException(ErrorCode.PAYLOAD_TOO_LARGE, `A photo may be at most ${maxBytes} bytes`);
    }
    throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The multipart body could not be read', [
      { field: 'file', reason: (error as Error).message },
    ]);
  }
  throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The request is not valid', [
    { field: 'file', reason: 'one file part is required' },
  ]);
}

function binary(description: string, types: string[]) {
  return ApiOkResponse({
    description,
    content: Object.fromEntries(types.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
  });
}

function streamed(reply: FastifyReply, content: PhotoContent): StreamableFile {
  void reply.header('cache-control', CACHE_CONTROL);
  return new StreamableFile(Readable.from(content.chunks), { type: content.contentType, length: content.size });
}

/** The photo routes of one kind of object, under the object's own path: one implementation for every kind. */
export function photosControllerFor(target: AttachmentTarget): Type<unknown> {
  const { noun, param } = target;
  const objectParam = ApiParam({ name: param, description: `The ${noun}'s id` });
  const photoParam = ApiParam({ name: 'photoId', description: 'Photo id' });
  const onlyUploaders = target.uploaders ? [Roles(...target.uploaders)] : [];
  const stageQuery = target.staged
    ? [ApiQuery({ name: 'stage', enum: PhotoStage, required: true, description: 'Before or after the work' })]
    : [];

  @ApiTags(target.tag)
  @Controller(`communities/:communityId/${target.kind}/:${param}/photos`)
  class PhotosController {
    constructor(private readonly photos: PhotosService) {}

    @Post()
    @applyDecorators(objectParam, ...onlyUploaders, ...stageQuery)
    @ApiOperation({
      summary: `Attach a photo to a ${noun}`,
      description:
        `Anyone who may see the ${noun} may attach photos${target.uploaders ? ` if they hold one of: ${target.uploaders.join(', ')}` : ''}; ` +
        'the owning service decides who sees it, and an unknown or unseen one is 404 as it answers. The file is judged ' +
        'by its bytes (JPEG, PNG, WebP or HEIC; else 415 UNSUPPORTED_MEDIA_TYPE), at most PHOTO_MAX_BYTES (default ' +
        '10 MiB; else 413 PAYLOAD_TOO_LARGE). It is re-encoded upright without EXIF, so no GPS position is kept; HEIC is ' +
        `stored as JPEG. A WebP thumbnail at most 320 pixels on its long edge is made. At most PHOTOS_PER_OBJECT ` +
        `(default 9) photos per ${noun}${target.staged ? ' and stage' : ''}: past that 422 PHOTO_LIMIT_REACHED and ` +
        'nothing is stored. A retry with the same Idempotency-Key is listed once.',
    })
    @ApiConsumes('multipart/form-data')
    @ApiBody({ type: PhotoUploadDto })
    @ApiCreatedResponse({ type: PhotoView })
    @ApiSecured(400, 404, 413)
    @ApiResponse({ status: 415, description: 'UNSUPPORTED_MEDIA_TYPE: not multipart, or the file is not a JPEG, PNG, WebP or HEIC image', content: PROBLEM })
    @ApiResponse({
      status: 422,
      description:
        'PHOTO_LIMIT_REACHED: the object has as many photos as it may; PHOTO_UNREADABLE: the file has an image signature ' +
        'but cannot be decoded; IDEMPOTENCY_KEY_REUSED: the Idempotency-Key was used with another request',
      content: PROBLEM,
    })
    upload(
      @Param('communityId', ObjectIdPipe) communityId: string,
      @Param(param, ObjectIdPipe) objectId: string,
      @Query('stage') stage: string | undefined,
      @CurrentPrincipal() caller: Principal,
      @Req() request: FastifyRequest,
    ): Promise<PhotoView> {
      const owner = this.owner(communityId, objectId);
      return this.photos.upload(owner, caller, stage, () => readPhotoPart(request, this.photos.maxBytes));
    }

    @Get()
    @applyDecorators(objectParam)
    @ApiOperation({ summary: `Photos of a ${noun}, oldest first` })
    @ApiOkResponse({ type: PhotoPage })
    @ApiSecured(400, 404)
    list(@Param('communityId', ObjectIdPipe) communityId: string, @Param(param, ObjectIdPipe) objectId: string): Promise<PhotoPage> {
      return this.photos.list(this.owner(communityId, objectId));
    }

    @Get(':photoId')
    @applyDecorators(objectParam, photoParam)
    @ApiOperation({ summary: `One photo of a ${noun}, as stored (without EXIF)` })
    @ApiProduces(...STORED_TYPES)
    @binary('The image', STORED_TYPES)
    @ApiSecured(400, 404)
    async image(
      @Param('communityId', ObjectIdPipe) communityId: string,
      @Param(param, ObjectIdPipe) objectId: string,
      @Param('photoId', ObjectIdPipe) photoId: string,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<StreamableFile> {
      return streamed(reply, await this.photos.open(this.owner(communityId, objectId), photoId, 'image'));
    }

    @Get(':photoId/thumbnail')
    @applyDecorators(objectParam, photoParam)
    @ApiOperation({ summary: `The thumbnail of a photo of a ${noun}: WebP, at most 320 pixels on its long edge` })
    @ApiProduces('image/webp')
    @binary('The thumbnail', ['image/webp'])
    @ApiSecured(400, 404)
    async thumbnail(
      @Param('communityId', ObjectIdPipe) communityId: string,
      @Param(param, ObjectIdPipe) objectId: string,
      @Param('photoId', ObjectIdPipe) photoId: string,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<StreamableFile> {
      return streamed(reply, await this.photos.open(this.owner(communityId, objectId), photoId, 'thumbnail'));
    }

    @Delete(':photoId')
    @HttpCode(204)
    @applyDecorators(objectParam, photoParam)
    @ApiOperation({ summary: `Delete a photo of a ${noun}: its uploader, or ${target.staff.join(', ')}` })
    @ApiNoContentResponse({ description: 'The photo and its thumbnail are gone' })
    @ApiSecured(400, 404)
    async remove(
      @Param('communityId', ObjectIdPipe) communityId: string,
      @Param(param, ObjectIdPipe) objectId: string,
      @Param('photoId', ObjectIdPipe) photoId: string,
      @CurrentPrincipal() caller: Principal,
    ): Promise<void> {
      await this.photos.remove(this.owner(communityId, objectId), caller, photoId);
    }

    private owner(communityId: string, objectId: string): PhotoOwner {
      return { target, communityId, objectId };
    }
  }

  Object.defineProperty(PhotosController, 'name', { value: `${pascal(target.kind)}PhotosController` });
  return PhotosController;
}

function pascal(kind: string): string {
  return kind.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}
