@description('Storage account whose BlobCreated events feed the blob trigger.')
param storageAccountName string

@description('Azure region.')
param location string

param tags object

@description('Whether to create the event subscription (second step, after the code is published and the blobs_extension key exists).')
param deployEventSubscription bool

@description('The blob extension webhook: https://<app host>/runtime/webhooks/blobs?functionName=Host.Functions.IngestAdverseEventExport&code=<blobs_extension key> (README "Deploy").')
@secure()
param blobExtensionWebhookUrl string

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: 'evgt-${storageAccountName}'
  location: location
  tags: tags
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource inbox 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = if (deployEventSubscription) {
  parent: topic
  name: 'ae-inbox-to-ingest'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: blobExtensionWebhookUrl
      }
    }
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: '/blobServices/default/containers/ae-inbox/'
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output topicName string = topic.name
