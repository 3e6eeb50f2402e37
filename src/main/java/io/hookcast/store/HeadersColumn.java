package io.hookcast.store;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;

import java.util.Map;

/** Headers as a JSON array of [name, value] pairs: order and repeated names survive, which a JSON object would lose. */
final class HeadersColumn {

  private HeadersColumn() {
  }

  static String encode(MultiMap headers) {
    JsonArray pairs = new JsonArray();
    for (Map.Entry<String, String> header : headers) {
      pairs.add(new JsonArray().add(header.getKey()).add(header.getValue()));
    }
    return pairs.encode();
  }

  static MultiMap decode(String column) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    JsonArray pairs = new JsonArray(column);
    for (int i = 0; i < pairs.size(); i++) {
      JsonArray pair = pairs.getJsonArray(i);
      headers.add(pair.getString(0), pair.getString(1));
    }
    return headers;
  }
}
