package dev.keel.registry.rest;

import dev.keel.common.security.CurrentCaller;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/**
 * Documents the {@code project} query parameter on every model endpoint. The shared authentication
 * filter reads it, not the resource methods, so no method declares it.
 */
public class ProjectParameterFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            if (!path.getKey().startsWith("/api/v1/models")) {
                continue;
            }
            for (Operation operation : path.getValue().getOperations().values()) {
                operation.addParameter(OASFactory.createParameter()
                        .name(CurrentCaller.PROJECT_PARAMETER)
                        .in(Parameter.In.QUERY)
                        .required(false)
                        .description("The project to act on: required with the bootstrap admin key (or the header "
                                + CurrentCaller.PROJECT_HEADER + "); a project key may omit it, and naming another "
                                + "project gets 403.")
                        .schema(OASFactory.createSchema().addType(org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.STRING)));
            }
        }
    }
}
