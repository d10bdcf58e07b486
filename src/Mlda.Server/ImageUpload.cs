using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Mlda.Server;

/// <summary>A request refused before any inference: its status and a one-line reason.</summary>
public sealed class RequestRefused(int status, string message) : Exception(message)
{
    public int Status => status;
}

/// <summary>
/// The uploaded image's bytes: a raw <c>image/jpeg</c> or <c>image/png</c> body, or the multipart form field
/// <c>image</c>. The size limit is checked on <c>Content-Length</c> before anything is read, and again while reading
/// (chunked bodies, multipart parts), so an oversized upload is never held in memory.
/// </summary>
public static class ImageUpload
{
    public static readonly string[] ImageTypes = ["image/jpeg", "image/png"];
    public const string FormField = "image";

    public static async Task<byte[]> ReadAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || type.MediaType.Value is not { } media)
            throw new RequestRefused(StatusCodes.Status415UnsupportedMediaType, $"Content-Type must be {string.Join(", ", ImageTypes)} or multipart/form-data with a field '{FormField}'");
        if (request.ContentLength > maxBytes)
            throw new RequestRefused(StatusCodes.Status413PayloadTooLarge, TooLarge(request.ContentLength.Value, maxBytes));
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxBytes + 1; // our own check below reports it; Kestrel's stops a runaway stream
        if (ImageTypes.Contains(media, StringComparer.OrdinalIgnoreCase)) return await ReadBounded(request.Body, maxBytes, ct);
        if (media.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
            if (string.IsNullOrEmpty(boundary)) throw new RequestRefused(StatusCodes.Status400BadRequest, "multipart/form-data without a boundary");
            var reader = new MultipartReader(boundary, request.Body);
            try
            {
                for (var section = await reader.ReadNextSectionAsync(ct); section is not null; section = await reader.ReadNextSectionAsync(ct))
                {
                    if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                        || HeaderUtilities.RemoveQuotes(disposition.Name).Value != FormField) continue;
                    return await ReadBounded(section.Body, maxBytes, ct);
                }
            }
            catch (InvalidDataException e)
            {
                throw new RequestRefused(StatusCodes.Status400BadRequest, "malformed multipart body: " + e.Message);
            }
            throw new RequestRefused(StatusCodes.Status400BadRequest, $"the multipart form has no field '{FormField}'");
        }
        throw new RequestRefused(StatusCodes.Status415UnsupportedMediaType, $"Content-Type {media} is not {string.Join(", ", ImageTypes)} or multipart/form-data");
    }

    static async Task<byte[]> ReadBounded(Stream body, long maxBytes, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            int n;
            while ((n = await body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + n > maxBytes) throw new RequestRefused(StatusCodes.Status413PayloadTooLarge, TooLarge(null, maxBytes));
                buffer.Write(chunk, 0, n);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new RequestRefused(StatusCodes.Status413PayloadTooLarge, TooLarge(null, maxBytes));
        }
        if (buffer.Length == 0) throw new RequestRefused(StatusCodes.Status400BadRequest, "empty image");
        return buffer.ToArray();
    }

    static string TooLarge(long? length, long maxBytes) =>
        $"upload {(length is long l ? $"of {l} bytes " : "")}exceeds the limit of {maxBytes} bytes (--max-upload-mb)";
}
