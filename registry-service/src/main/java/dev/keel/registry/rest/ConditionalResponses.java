package dev.keel.registry.rest;

import dev.keel.registry.service.DeploymentService;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

/** 200 with a strong ETag, or 304 when the client's If-None-Match already names it. */
final class ConditionalResponses {

    private ConditionalResponses() {
    }

    static Response ok(Request request, DeploymentService.Tagged<?> tagged) {
        EntityTag tag = new EntityTag(tagged.etag());
        CacheControl revalidate = new CacheControl();
        revalidate.setNoCache(true);
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        if (notModified != null) {
            return notModified.tag(tag).cacheControl(revalidate).build();
        }
        return Response.ok(tagged.body()).tag(tag).cacheControl(revalidate).build();
    }
}
